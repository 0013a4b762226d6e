//! `graph --diff A B`: both graphs in one, what only B has marked added, what only A has
//! marked removed, and a node drawn differently in B (a member that became residual) changed.

use std::collections::BTreeMap;

use super::{Change, Graph};

pub fn diff(before: &Graph, after: &Graph) -> Graph {
    let old: BTreeMap<&str, _> = before.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    let new: BTreeMap<&str, _> = after.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    let mut graph = Graph::default();
    for n in &after.nodes {
        let mut n = n.clone();
        n.change = match old.get(n.id.as_str()) {
            None => Some(Change::Added),
            Some(o) if o.label != n.label || o.risk != n.risk || o.grant != n.grant => {
                Some(Change::Changed)
            }
            Some(_) => None,
        };
        graph.nodes.push(n);
    }
    for n in before
        .nodes
        .iter()
        .filter(|n| !new.contains_key(n.id.as_str()))
    {
        let mut n = n.clone();
        n.change = Some(Change::Removed);
        graph.nodes.push(n);
    }
    let key = |e: &super::Edge| (e.from.clone(), e.to.clone(), e.kind);
    let old_edges: BTreeMap<_, _> = before.edges.iter().map(|e| (key(e), e)).collect();
    let new_edges: BTreeMap<_, _> = after.edges.iter().map(|e| (key(e), e)).collect();
    for e in &after.edges {
        let mut e = e.clone();
        if !old_edges.contains_key(&key(&e)) {
            e.change = Some(Change::Added);
        }
        graph.edges.push(e);
    }
    for e in before
        .edges
        .iter()
        .filter(|e| !new_edges.contains_key(&key(e)))
    {
        let mut e = e.clone();
        e.change = Some(Change::Removed);
        graph.edges.push(e);
    }
    graph.sort();
    graph
}
