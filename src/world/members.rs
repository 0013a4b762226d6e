//! A project's roles and members, kept small enough for a million members: roles are interned
//! (each member holds role ids, not names), a member's roles are a bit set, and members live in
//! one vector found through a position index. A role keeps a count of its holders rather than
//! a second copy of every binding; listing a role's members walks the members once.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::index::PositionIndex;
use super::principal::PrincipalId;

/// A role's number in its project. A dropped role's number is given to the next role created
/// (a role can be dropped only when nobody holds it, so no binding outlives it).
pub type RoleId = u32;

/// The roles a member holds: ids below 64 as bits, the rare others in a sorted list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleSet {
    bits: u64,
    /// Boxed so that the set stays 16 bytes (a `Vec` alone is 24): almost every member has
    /// no role numbered 64 or above, and a million members each pay for this field.
    #[allow(clippy::box_collection)]
    more: Option<Box<Vec<RoleId>>>,
}

impl RoleSet {
    pub fn contains(&self, id: RoleId) -> bool {
        match id {
            0..64 => self.bits & (1 << id) != 0,
            _ => self
                .more
                .as_ref()
                .is_some_and(|m| m.binary_search(&id).is_ok()),
        }
    }

    /// Adds `id`; false when it was there already.
    pub fn insert(&mut self, id: RoleId) -> bool {
        if id < 64 {
            let had = self.contains(id);
            self.bits |= 1 << id;
            return !had;
        }
        let more = self.more.get_or_insert_with(Default::default);
        match more.binary_search(&id) {
            Ok(_) => false,
            Err(at) => {
                more.insert(at, id);
                true
            }
        }
    }

    /// Removes `id`; false when it was not there.
    pub fn remove(&mut self, id: RoleId) -> bool {
        if id < 64 {
            let had = self.contains(id);
            self.bits &= !(1 << id);
            return had;
        }
        let Some(more) = self.more.as_mut() else {
            return false;
        };
        let Ok(at) = more.binary_search(&id) else {
            return false;
        };
        more.remove(at);
        if more.is_empty() {
            self.more = None;
        }
        true
    }

    pub fn is_empty(&self) -> bool {
        self.bits == 0 && self.more.is_none()
    }

    /// The ids, ascending.
    pub fn iter(&self) -> impl Iterator<Item = RoleId> + '_ {
        let mut bits = self.bits;
        std::iter::from_fn(move || {
            (bits != 0).then(|| {
                let id = bits.trailing_zeros();
                bits &= bits - 1;
                id
            })
        })
        .chain(self.more.iter().flat_map(|m| m.iter().copied()))
    }
}

/// The binary snapshot's form of a role set.
#[derive(Serialize, Deserialize)]
pub struct RoleSetWire {
    bits: u64,
    more: Vec<RoleId>,
}

impl From<&RoleSet> for RoleSetWire {
    fn from(set: &RoleSet) -> Self {
        RoleSetWire {
            bits: set.bits,
            more: set.more.as_deref().cloned().unwrap_or_default(),
        }
    }
}

impl From<RoleSetWire> for RoleSet {
    fn from(wire: RoleSetWire) -> Self {
        let mut set = RoleSet {
            bits: wire.bits,
            more: None,
        };
        for id in wire.more {
            set.insert(id);
        }
        set
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct RoleSlot {
    name: String,
    builtin: bool,
    /// How many members hold the role.
    holders: usize,
}

/// A project's roles: names to ids, and each id's role.
#[derive(Debug, Clone, Default)]
pub struct Roles {
    by_name: BTreeMap<String, RoleId>,
    slots: Vec<Option<RoleSlot>>,
    /// The empty slots below `slots.len()`, so that a create finds the lowest without walking
    /// every slot. Derived from `slots` (never stored): kept by `create`, `place` and `remove`.
    free: BTreeSet<RoleId>,
}

impl Roles {
    pub fn id(&self, name: &str) -> Option<RoleId> {
        self.by_name.get(name).copied()
    }

    pub fn name(&self, id: RoleId) -> Option<&str> {
        self.slot(id).map(|s| s.name.as_str())
    }

    fn slot(&self, id: RoleId) -> Option<&RoleSlot> {
        self.slots.get(id as usize).and_then(Option::as_ref)
    }

    fn slot_mut(&mut self, id: RoleId) -> Option<&mut RoleSlot> {
        self.slots.get_mut(id as usize).and_then(Option::as_mut)
    }

    pub fn is_builtin(&self, id: RoleId) -> bool {
        self.slot(id).is_some_and(|s| s.builtin)
    }

    pub fn holders(&self, id: RoleId) -> usize {
        self.slot(id).map_or(0, |s| s.holders)
    }

    /// Role names in name order.
    pub fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.by_name.keys().map(String::as_str)
    }

    /// (name, built-in) in name order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, bool)> + '_ {
        self.by_name
            .iter()
            .map(|(name, id)| (name.as_str(), self.is_builtin(*id)))
    }

    /// Creates a role under the lowest free id; `None` when the name is taken (or, past 2³²
    /// roles, no id is left).
    pub fn create(&mut self, name: &str, builtin: bool) -> Option<RoleId> {
        // One walk down the name index, for the check and the insert.
        let Entry::Vacant(entry) = self.by_name.entry(name.to_string()) else {
            return None;
        };
        let slot = RoleSlot {
            name: name.to_string(),
            builtin,
            holders: 0,
        };
        let id = match self.free.pop_first() {
            Some(free) => {
                self.slots[free as usize] = Some(slot);
                free
            }
            None => {
                let id = RoleId::try_from(self.slots.len()).ok()?;
                self.slots.push(Some(slot));
                id
            }
        };
        entry.insert(id);
        Some(id)
    }

    /// Puts a role at a given id (a snapshot being read); false when the id or name is taken.
    fn place(&mut self, id: RoleId, name: String, builtin: bool) -> bool {
        let at = id as usize;
        if self.by_name.contains_key(&name) || self.slot(id).is_some() {
            return false;
        }
        if self.slots.len() <= at {
            // The slots between the last one and `at` are holes.
            self.free
                .extend((self.slots.len()..at).filter_map(|h| RoleId::try_from(h).ok()));
            self.slots.resize(at + 1, None);
        }
        self.free.remove(&id);
        self.by_name.insert(name.clone(), id);
        self.slots[at] = Some(RoleSlot {
            name,
            builtin,
            holders: 0,
        });
        true
    }

    pub fn remove(&mut self, id: RoleId) {
        if let Some(slot) = self.slots.get_mut(id as usize).and_then(Option::take) {
            self.by_name.remove(&slot.name);
            self.free.insert(id);
        }
        while self.slots.last().is_some_and(Option::is_none) {
            self.slots.pop();
        }
        // Holes past the new end are no longer slots.
        if let Ok(end) = RoleId::try_from(self.slots.len()) {
            self.free.split_off(&end);
        }
    }

    fn count(&mut self, id: RoleId, bound: bool) {
        if let Some(slot) = self.slot_mut(id) {
            if bound {
                slot.holders += 1;
            } else {
                slot.holders = slot.holders.saturating_sub(1);
            }
        }
    }

    /// The names of the roles in `set`, in name order.
    pub fn names_of(&self, set: &RoleSet) -> Vec<&str> {
        let mut names: Vec<&str> = set.iter().filter_map(|id| self.name(id)).collect();
        names.sort_unstable();
        names
    }

    /// The binary snapshot's form: each id's (name, built-in), holes included.
    pub fn to_wire(&self) -> Vec<Option<(&str, bool)>> {
        self.slots
            .iter()
            .map(|s| s.as_ref().map(|s| (s.name.as_str(), s.builtin)))
            .collect()
    }

    /// Roles read back from [`Roles::to_wire`]; `None` when a name repeats.
    pub fn from_wire(wire: Vec<Option<(String, bool)>>) -> Option<Roles> {
        let mut roles = Roles::default();
        for (id, slot) in wire.into_iter().enumerate() {
            if let Some((name, builtin)) = slot
                && !roles.place(RoleId::try_from(id).ok()?, name, builtin)
            {
                return None;
            }
        }
        Some(roles)
    }
}

/// Members in one vector, each with its roles, found by id through a position index.
#[derive(Debug, Clone, Default)]
pub struct Members {
    slots: Vec<(PrincipalId, RoleSet)>,
    index: PositionIndex,
}

/// One number standing for a principal id, for hashing.
fn key(id: PrincipalId) -> u64 {
    match id {
        PrincipalId::Account(a) => a.0,
        PrincipalId::RamUser(u) => u.0.rotate_left(21) ^ 1,
        PrincipalId::RamRole(r) => r.rotate_left(42) ^ 2,
    }
}

impl Members {
    /// Members from a list, binding counts added to `roles`; a repeated id keeps its last
    /// entry (as a map read from a file would).
    pub fn from_list(list: Vec<(PrincipalId, RoleSet)>, roles: &mut Roles) -> Members {
        let built = PositionIndex::build(
            list.len(),
            |k, p| k.u64(key(list[p].0)),
            |a, b| list[a].0 == list[b].0,
        );
        let members = match built {
            Some(index) => Members { slots: list, index },
            None => {
                let mut members = Members {
                    slots: Vec::with_capacity(list.len()),
                    index: PositionIndex::with_capacity(list.len()),
                };
                for (id, set) in list {
                    let pos = members.slots.len();
                    let hash = members.index.hasher().u64(key(id));
                    let slots = &members.slots;
                    match members.index.insert_new(
                        hash,
                        pos,
                        |p| slots[p].0 == id,
                        |k, p| k.u64(key(slots[p].0)),
                    ) {
                        Some(old) => members.slots[old].1 = set,
                        None => members.slots.push((id, set)),
                    }
                }
                members
            }
        };
        for (_, set) in &members.slots {
            for role in set.iter() {
                roles.count(role, true);
            }
        }
        members
    }

    fn position(&self, id: PrincipalId) -> Option<usize> {
        let hash = self.index.hasher().u64(key(id));
        self.index.find(hash, |p| self.slots[p].0 == id)
    }

    pub fn get(&self, id: PrincipalId) -> Option<&RoleSet> {
        self.position(id).map(|p| &self.slots[p].1)
    }

    fn get_mut(&mut self, id: PrincipalId) -> Option<&mut RoleSet> {
        self.position(id).map(|p| &mut self.slots[p].1)
    }

    pub fn contains(&self, id: PrincipalId) -> bool {
        self.position(id).is_some()
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Every member with its roles, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (PrincipalId, &RoleSet)> + '_ {
        self.slots.iter().map(|(id, set)| (*id, set))
    }

    pub fn as_slice(&self) -> &[(PrincipalId, RoleSet)] {
        &self.slots
    }

    /// Adds a member with no roles; false when it is one already.
    pub fn insert(&mut self, id: PrincipalId) -> bool {
        if self.contains(id) {
            return false;
        }
        let pos = self.slots.len();
        self.slots.push((id, RoleSet::default()));
        let slots = &self.slots;
        let hash = self.index.hasher().u64(key(id));
        self.index.insert(hash, pos, |k, p| k.u64(key(slots[p].0)));
        true
    }

    /// Removes a member (whatever it holds: the caller checks).
    pub fn remove(&mut self, id: PrincipalId) -> Option<RoleSet> {
        let pos = self.position(id)?;
        self.index.remove(self.index.hasher().u64(key(id)), pos);
        let (_, set) = self.slots.swap_remove(pos);
        if let Some((moved, _)) = self.slots.get(pos) {
            let hash = self.index.hasher().u64(key(*moved));
            self.index.moved(hash, self.slots.len(), pos);
        }
        Some(set)
    }

    /// Binds a role to a member; false when the member is none or held it already.
    pub fn bind(&mut self, id: PrincipalId, role: RoleId, roles: &mut Roles) -> bool {
        let bound = self.get_mut(id).is_some_and(|set| set.insert(role));
        if bound {
            roles.count(role, true);
        }
        bound
    }

    /// Unbinds a role; false when the member did not hold it.
    pub fn unbind(&mut self, id: PrincipalId, role: RoleId, roles: &mut Roles) -> bool {
        let unbound = self.get_mut(id).is_some_and(|set| set.remove(role));
        if unbound {
            roles.count(role, false);
        }
        unbound
    }
}

#[cfg(test)]
mod tests;
