//! The access graph (`odpsh graph`, the page of `odpsh serve --ui`): the world as nodes and
//! directed edges, from the account and its RAM users through project members and roles to the
//! grants and the objects they are on. Built as data here (stable ids, a deterministic order);
//! `render::graph_*` draws it as DOT, Mermaid, JSON or SVG.
//!
//! Edges point the way access flows: an account has its RAM users and owns its projects, a RAM
//! user is in its groups, holds its keys and policies and is a project member, a member holds
//! roles and grants, a role holds grants, a grant is on objects. So what a node *reaches* is what
//! it may do, and what *reaches* a node is who may do it ([`focus`]).

mod build;
mod diff;
mod focus;
pub mod panel;
#[cfg(test)]
mod tests;

pub use build::build;
pub use diff::diff;
pub use focus::focus;

use crate::world::policy::Effect;

/// What a node stands for. The order is the order of the picture's columns (and of the nodes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKind {
    /// An Alibaba Cloud (main) account: a project's owner, or a member of another account.
    Account,
    Project,
    RamUser,
    /// A RAM role (its STS sessions act as it).
    RamRole,
    RamGroup,
    AccessKey,
    /// A RAM policy attached to a user or a group.
    RamPolicy,
    /// A principal as a member of one project (a deleted RAM user's shows as `p4_<uid>`).
    Member,
    /// A principal a project names without it being a member: a grantee whose membership was
    /// removed, the creator of an object.
    Principal,
    Role,
    /// An ACL grant, a policy statement or a built-in role's policy.
    Grant,
    /// A policy resource no object of the project matches (yet).
    Pattern,
    /// A table, resource or function.
    Object,
}

impl NodeKind {
    /// The name JSON and the page use.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Account => "account",
            NodeKind::Project => "project",
            NodeKind::RamUser => "ram_user",
            NodeKind::RamRole => "ram_role",
            NodeKind::RamGroup => "ram_group",
            NodeKind::AccessKey => "access_key",
            NodeKind::RamPolicy => "ram_policy",
            NodeKind::Member => "member",
            NodeKind::Principal => "principal",
            NodeKind::Role => "role",
            NodeKind::Grant => "grant",
            NodeKind::Pattern => "pattern",
            NodeKind::Object => "object",
        }
    }
}

/// What makes a node or an edge stand out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Risk {
    /// A member (or a principal) whose RAM user was deleted: `p4_<uid>`, which no statement
    /// can name.
    Residual,
    /// A RAM policy the console flags as high-risk.
    HighRisk,
    /// An active AccessKey of a RAM user that is a member of no project and no workspace.
    KeyLeftActive,
    /// A Deny statement.
    Deny,
}

impl Risk {
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Residual => "residual",
            Risk::HighRisk => "high_risk",
            Risk::KeyLeftActive => "key_left_active",
            Risk::Deny => "deny",
        }
    }
}

/// Where a grant comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GrantSource {
    /// `grant … on … to …`.
    Acl,
    /// A statement of a role's policy.
    RolePolicy,
    /// A statement of the project policy.
    ProjectPolicy,
    /// The policy a built-in DataWorks role carries.
    Builtin,
}

impl GrantSource {
    pub fn as_str(self) -> &'static str {
        match self {
            GrantSource::Acl => "acl",
            GrantSource::RolePolicy => "role_policy",
            GrantSource::ProjectPolicy => "project_policy",
            GrantSource::Builtin => "builtin",
        }
    }
}

/// What a grant node says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantFacts {
    pub source: GrantSource,
    pub effect: Effect,
    /// The actions (`Select`, `odps:Create*`, …).
    pub actions: Vec<String>,
    /// The resources, as `show grants` prints them (`projects/p/tables/sales`).
    pub resources: Vec<String>,
    /// When it expires (seconds since the epoch); `None`: never.
    pub expires: Option<u64>,
    /// Whether the statement has conditions.
    pub conditional: bool,
}

/// What `graph --diff` found about a node or an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    Added,
    Removed,
    /// The same id in both, drawn differently (a member that became residual).
    Changed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Stable across runs and worlds: `member:maxcompute:p4_26529…`.
    pub id: String,
    pub kind: NodeKind,
    /// The name: a principal's display name, a role, an object's name, a key's id.
    pub label: String,
    /// The project a project-scoped node belongs to (its name as created).
    pub project: Option<String>,
    pub risk: Option<Risk>,
    pub grant: Option<GrantFacts>,
    /// Whether an AccessKey is active (`None` for other nodes).
    pub active: Option<bool>,
    /// What kind of object an object node is.
    pub object: Option<crate::vocabulary::ObjectKind>,
    pub change: Option<Change>,
}

/// How one node relates to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// An account has this RAM user.
    HasUser,
    /// An account has this RAM role.
    HasRole,
    /// An account owns this project.
    Owns,
    /// A project holds this object.
    Contains,
    /// A RAM user is in this group.
    InGroup,
    /// A user or group has this RAM policy attached.
    Attached,
    HasKey,
    /// A principal is this project member.
    IsMember,
    /// A member holds this role.
    Holds,
    /// A member, principal, role or project holds this grant.
    Granted,
    /// A grant is on this object (or pattern).
    On,
    /// A principal created this object.
    Created,
    /// A RAM user may assume this RAM role through STS (trusted by it and allowed
    /// `sts:AssumeRole`).
    MayAssume,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::HasUser => "has_user",
            EdgeKind::HasRole => "has_role",
            EdgeKind::Owns => "owns",
            EdgeKind::Contains => "contains",
            EdgeKind::InGroup => "in_group",
            EdgeKind::Attached => "attached",
            EdgeKind::HasKey => "has_key",
            EdgeKind::IsMember => "is_member",
            EdgeKind::Holds => "holds",
            EdgeKind::Granted => "granted",
            EdgeKind::On => "on",
            EdgeKind::Created => "created",
            EdgeKind::MayAssume => "may_assume",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub risk: Option<Risk>,
    pub change: Option<Change>,
}

/// The graph: nodes by kind then id, edges by source, target and kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

impl Graph {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// Puts nodes and edges in their one order.
    fn sort(&mut self) {
        self.nodes
            .sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
        self.edges
            .sort_by(|a, b| (&a.from, &a.to, a.kind).cmp(&(&b.from, &b.to, b.kind)));
    }
}

/// Why a graph could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    #[error("no project named '{0}'")]
    NoSuchProject(String),
    #[error("nothing named '{0}' (a principal, role or table) in the graph")]
    NoSuchNode(String),
}
