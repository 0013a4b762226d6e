//! Tests of role sets, role ids and members.

use super::*;
use crate::world::Uid;

#[test]
fn role_sets_hold_small_and_large_ids() {
    let mut set = RoleSet::default();
    assert!(set.is_empty());
    for id in [3, 70, 64, 0, 1000] {
        assert!(set.insert(id));
    }
    assert!(!set.insert(70));
    assert_eq!(set.iter().collect::<Vec<_>>(), [0, 3, 64, 70, 1000]);
    assert!(set.contains(64) && !set.contains(65));
    for id in [64, 70, 1000, 0] {
        assert!(set.remove(id));
    }
    assert!(!set.remove(1000));
    assert_eq!(set.iter().collect::<Vec<_>>(), [3]);
    assert_eq!(set, RoleSet::from(RoleSetWire::from(&set)));
    set.remove(3);
    assert!(set.is_empty());
}

#[test]
fn dropped_role_ids_are_reused_and_counts_follow_bindings() {
    let mut roles = Roles::default();
    let a = roles.create("a", true).unwrap();
    let b = roles.create("b", false).unwrap();
    assert_eq!(roles.create("a", false), None);
    roles.remove(a);
    let c = roles.create("c", false).unwrap();
    assert_eq!(c, a);
    let mut members = Members::default();
    let bob = PrincipalId::RamUser(Uid(7));
    let eve = PrincipalId::RamUser(Uid(8));
    assert!(members.insert(bob) && members.insert(eve) && !members.insert(bob));
    assert!(members.bind(bob, b, &mut roles));
    assert!(!members.bind(bob, b, &mut roles));
    assert!(members.bind(eve, b, &mut roles));
    assert_eq!(roles.holders(b), 2);
    assert!(members.unbind(bob, b, &mut roles));
    assert_eq!(roles.holders(b), 1);
    assert!(members.remove(bob).is_some());
    assert_eq!(members.get(eve).map(|s| roles.names_of(s)), Some(vec!["b"]));
    assert!(!members.contains(bob));
    let wire: Vec<Option<(String, bool)>> = roles
        .to_wire()
        .into_iter()
        .map(|s| s.map(|(n, b)| (n.to_string(), b)))
        .collect();
    let back = Roles::from_wire(wire).unwrap();
    assert_eq!(
        back.entries().collect::<Vec<_>>(),
        [("b", false), ("c", false)]
    );
    assert_eq!(back.id("c"), Some(c));
}

/// The old way to a role id: the lowest empty slot, found by walking them all.
#[derive(Default)]
struct Model(Vec<Option<String>>);

impl Model {
    fn create(&mut self, name: &str) -> Option<RoleId> {
        if self.0.iter().flatten().any(|n| n == name) {
            return None;
        }
        let id = match self.0.iter().position(Option::is_none) {
            Some(free) => free,
            None => {
                self.0.push(None);
                self.0.len() - 1
            }
        };
        self.0[id] = Some(name.to_string());
        RoleId::try_from(id).ok()
    }

    fn remove(&mut self, name: &str) -> Option<RoleId> {
        let id = self.0.iter().position(|n| n.as_deref() == Some(name))?;
        self.0[id] = None;
        while self.0.last().is_some_and(Option::is_none) {
            self.0.pop();
        }
        RoleId::try_from(id).ok()
    }
}

fn wire_of(roles: &Roles) -> Vec<Option<(String, bool)>> {
    roles
        .to_wire()
        .into_iter()
        .map(|s| s.map(|(n, b)| (n.to_string(), b)))
        .collect()
}

proptest::proptest! {
    /// Finding 9 of issue 12: roles created and dropped in any order get the ids the old
    /// walk over every slot gave (the lowest free one), also after a snapshot is read back.
    #[test]
    fn role_ids_are_the_lowest_free_ones(
        ops in proptest::collection::vec((proptest::bool::ANY, 0u8..24), 0..200),
        reload_at in 0usize..200,
    ) {
        let mut roles = Roles::default();
        let mut model = Model::default();
        for (i, (create, n)) in ops.into_iter().enumerate() {
            if i == reload_at {
                roles = Roles::from_wire(wire_of(&roles)).unwrap();
            }
            let name = format!("r{n}");
            if create {
                proptest::prop_assert_eq!(roles.create(&name, false), model.create(&name));
            } else {
                let id = roles.id(&name);
                proptest::prop_assert_eq!(id, model.remove(&name));
                if let Some(id) = id {
                    roles.remove(id);
                }
            }
            let names: Vec<Option<String>> =
                wire_of(&roles).into_iter().map(|s| s.map(|(n, _)| n)).collect();
            proptest::prop_assert_eq!(&names, &model.0);
        }
    }
}

/// A snapshot with holes: the next roles fill the lowest hole first, then go on at the end.
#[test]
fn a_snapshot_read_back_fills_its_holes_first() {
    let wire = vec![
        Some(("a".to_string(), true)),
        None,
        Some(("c".to_string(), false)),
        None,
        Some(("e".to_string(), false)),
    ];
    let mut roles = Roles::from_wire(wire).unwrap();
    assert_eq!(roles.create("x", false), Some(1));
    assert_eq!(roles.create("y", false), Some(3));
    assert_eq!(roles.create("z", false), Some(5));
    let e = roles.id("e").unwrap();
    let z = roles.id("z").unwrap();
    roles.remove(z);
    roles.remove(e);
    assert_eq!(roles.create("w", false), Some(4));
}
