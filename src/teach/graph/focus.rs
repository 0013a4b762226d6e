//! `--focus`: what reaches a node or is reached from it, and nothing else. Focused on a table,
//! that is who may do what on it and through what; on a user, what it may do.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::{Graph, GraphError, Node, NodeKind};

/// Whether `text` names `node`: its id, its label, or (for RAM users and members) the user's
/// own name after the account's (`hanmeimei` for `RAM$MainCount:hanmeimei`), case-insensitively.
fn names(node: &Node, text: &str) -> bool {
    if node.id == text {
        return true;
    }
    if node.kind == NodeKind::Grant {
        return false;
    }
    let short = matches!(
        node.kind,
        NodeKind::RamUser | NodeKind::Member | NodeKind::Principal
    ) && node
        .label
        .rsplit_once(':')
        .is_some_and(|(_, user)| user.eq_ignore_ascii_case(text));
    short || node.label.eq_ignore_ascii_case(text)
}

/// Every node reachable from `start` along `next`.
fn walk<'g>(
    start: &[&'g str],
    next: &BTreeMap<&'g str, Vec<&'g str>>,
    into: &mut BTreeSet<&'g str>,
) {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut queue: VecDeque<&str> = start.iter().copied().collect();
    while let Some(id) = queue.pop_front() {
        if !seen.insert(id) {
            continue;
        }
        into.insert(id);
        for n in next.get(id).into_iter().flatten() {
            queue.push_back(n);
        }
    }
}

/// The part of `graph` that reaches or is reached from the nodes `text` names (every node it
/// names: a role of that name in two projects is both).
pub fn focus(graph: &Graph, text: &str) -> Result<Graph, GraphError> {
    let start: Vec<&str> = graph
        .nodes
        .iter()
        .filter(|n| names(n, text))
        .map(|n| n.id.as_str())
        .collect();
    if start.is_empty() {
        return Err(GraphError::NoSuchNode(text.to_string()));
    }
    let mut forward: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut backward: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in &graph.edges {
        forward.entry(&e.from).or_default().push(&e.to);
        backward.entry(&e.to).or_default().push(&e.from);
    }
    let mut kept = BTreeSet::new();
    walk(&start, &forward, &mut kept);
    walk(&start, &backward, &mut kept);
    Ok(Graph {
        nodes: graph
            .nodes
            .iter()
            .filter(|n| kept.contains(n.id.as_str()))
            .cloned()
            .collect(),
        edges: graph
            .edges
            .iter()
            .filter(|e| kept.contains(e.from.as_str()) && kept.contains(e.to.as_str()))
            .cloned()
            .collect(),
    })
}
