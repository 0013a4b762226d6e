//! A project's objects, kept as metadata only (no data is stored): tables, resources,
//! functions and the instances jobs leave behind. Each records who created it; an index of
//! creators keeps "what did this principal create" a lookup.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::principal::PrincipalId;

pub use crate::vocabulary::{ObjectKind, ResourceKind};

/// An object of a project: its kind and lower-case name (the project itself has no name).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectKey {
    pub kind: ObjectKind,
    pub name: String,
}

impl ObjectKey {
    pub fn project() -> Self {
        ObjectKey {
            kind: ObjectKind::Project,
            name: String::new(),
        }
    }

    pub fn new(kind: ObjectKind, name: &str) -> Self {
        ObjectKey {
            kind,
            name: name.to_ascii_lowercase(),
        }
    }

    pub fn table(name: &str) -> Self {
        ObjectKey::new(ObjectKind::Table, name)
    }

    /// The resource path in project `project`, as `show grants` prints it.
    pub fn path(&self, project: &str) -> String {
        match self.kind {
            ObjectKind::Project => format!("projects/{project}"),
            ObjectKind::Function => {
                format!("projects/{project}/registration/functions/{}", self.name)
            }
            kind => format!("projects/{project}/{}/{}", kind.segment(), self.name),
        }
    }
}

impl fmt::Display for ObjectKey {
    /// The stored form: `project`, `tables/<t>`, `functions/<f>`, ….
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ObjectKind::Project => f.write_str("project"),
            kind => write!(f, "{}/{}", kind.segment(), self.name),
        }
    }
}

/// Text that is not a stored object key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{0}' is not an object (project, tables/<t>, functions/<f>, resources/<r>, instances/<i> or packages/<p>)"
)]
pub struct BadObjectKey(pub String);

impl FromStr for ObjectKey {
    type Err = BadObjectKey;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "project" {
            return Ok(ObjectKey::project());
        }
        let (segment, name) = s.split_once('/').ok_or_else(|| BadObjectKey(s.into()))?;
        let kind = [
            ObjectKind::Table,
            ObjectKind::Function,
            ObjectKind::Resource,
            ObjectKind::Instance,
            ObjectKind::Package,
        ]
        .into_iter()
        .find(|k| k.segment() == segment)
        .ok_or_else(|| BadObjectKey(s.into()))?;
        if name.is_empty() || name.contains('/') {
            return Err(BadObjectKey(s.into()));
        }
        Ok(ObjectKey::new(kind, name))
    }
}

impl Serialize for ObjectKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ObjectKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub data_type: String,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub comment: String,
    pub creator: PrincipalId,
    pub created: u64,
}

impl Table {
    pub fn has_column(&self, name: &str) -> bool {
        self.columns.iter().any(|c| c.name == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub name: String,
    pub kind: ResourceKind,
    pub comment: String,
    pub creator: PrincipalId,
    pub created: u64,
    pub updated: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    pub name: String,
    pub class: String,
    pub resources: Vec<String>,
    pub creator: PrincipalId,
    pub created: u64,
}

/// What a job left behind: it ran at once and succeeded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    pub id: String,
    pub owner: PrincipalId,
    pub started: u64,
    pub query: String,
}

/// The stored form of a project's objects.
#[derive(Serialize, Deserialize)]
struct ObjectsFile {
    tables: BTreeMap<String, Table>,
    resources: BTreeMap<String, Resource>,
    functions: BTreeMap<String, Function>,
    instances: BTreeMap<String, Instance>,
}

/// A project's objects by lower-case name, and who created what.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "ObjectsFile", into = "ObjectsFile")]
pub struct Objects {
    tables: BTreeMap<String, Table>,
    resources: BTreeMap<String, Resource>,
    functions: BTreeMap<String, Function>,
    instances: BTreeMap<String, Instance>,
    /// Derived: the objects each principal created.
    created_by: HashMap<PrincipalId, BTreeSet<ObjectKey>>,
}

impl From<ObjectsFile> for Objects {
    fn from(file: ObjectsFile) -> Self {
        let mut objects = Objects {
            tables: file.tables,
            resources: file.resources,
            functions: file.functions,
            instances: file.instances,
            created_by: HashMap::new(),
        };
        let mut index: Vec<(PrincipalId, ObjectKey)> = Vec::new();
        index.extend(
            objects
                .tables
                .values()
                .map(|t| (t.creator, ObjectKey::table(&t.name))),
        );
        index.extend(
            objects
                .resources
                .values()
                .map(|r| (r.creator, ObjectKey::new(ObjectKind::Resource, &r.name))),
        );
        index.extend(
            objects
                .functions
                .values()
                .map(|f| (f.creator, ObjectKey::new(ObjectKind::Function, &f.name))),
        );
        index.extend(
            objects
                .instances
                .values()
                .map(|i| (i.owner, ObjectKey::new(ObjectKind::Instance, &i.id))),
        );
        for (creator, key) in index {
            objects.created_by.entry(creator).or_default().insert(key);
        }
        objects
    }
}

impl From<Objects> for ObjectsFile {
    fn from(objects: Objects) -> Self {
        ObjectsFile {
            tables: objects.tables,
            resources: objects.resources,
            functions: objects.functions,
            instances: objects.instances,
        }
    }
}

impl Objects {
    fn note_created(&mut self, creator: PrincipalId, key: ObjectKey) {
        self.created_by.entry(creator).or_default().insert(key);
    }

    fn note_removed(&mut self, creator: PrincipalId, key: &ObjectKey) {
        if let Some(set) = self.created_by.get_mut(&creator) {
            set.remove(key);
            if set.is_empty() {
                self.created_by.remove(&creator);
            }
        }
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(&name.to_ascii_lowercase())
    }

    pub fn tables(&self) -> impl Iterator<Item = &Table> + '_ {
        self.tables.values()
    }

    /// Adds a table; false (and no change) if one of that name exists.
    pub fn insert_table(&mut self, table: Table) -> bool {
        let key = table.name.to_ascii_lowercase();
        if self.tables.contains_key(&key) {
            return false;
        }
        self.note_created(table.creator, ObjectKey::table(&key));
        self.tables.insert(key, table);
        true
    }

    pub fn remove_table(&mut self, name: &str) -> Option<Table> {
        let table = self.tables.remove(&name.to_ascii_lowercase())?;
        self.note_removed(table.creator, &ObjectKey::table(&table.name));
        Some(table)
    }

    pub fn resource(&self, name: &str) -> Option<&Resource> {
        self.resources.get(&name.to_ascii_lowercase())
    }

    pub fn resources(&self) -> impl Iterator<Item = &Resource> + '_ {
        self.resources.values()
    }

    /// Adds or replaces a resource (the caller decides whether replacing is allowed).
    pub fn put_resource(&mut self, resource: Resource) {
        let key = resource.name.to_ascii_lowercase();
        if let Some(old) = self.resources.remove(&key) {
            self.note_removed(old.creator, &ObjectKey::new(ObjectKind::Resource, &key));
        }
        self.note_created(resource.creator, ObjectKey::new(ObjectKind::Resource, &key));
        self.resources.insert(key, resource);
    }

    pub fn remove_resource(&mut self, name: &str) -> Option<Resource> {
        let resource = self.resources.remove(&name.to_ascii_lowercase())?;
        let key = ObjectKey::new(ObjectKind::Resource, &resource.name);
        self.note_removed(resource.creator, &key);
        Some(resource)
    }

    pub fn function(&self, name: &str) -> Option<&Function> {
        self.functions.get(&name.to_ascii_lowercase())
    }

    pub fn functions(&self) -> impl Iterator<Item = &Function> + '_ {
        self.functions.values()
    }

    /// Adds a function; false (and no change) if one of that name exists.
    pub fn insert_function(&mut self, function: Function) -> bool {
        let key = function.name.to_ascii_lowercase();
        if self.functions.contains_key(&key) {
            return false;
        }
        self.note_created(function.creator, ObjectKey::new(ObjectKind::Function, &key));
        self.functions.insert(key, function);
        true
    }

    pub fn remove_function(&mut self, name: &str) -> Option<Function> {
        let function = self.functions.remove(&name.to_ascii_lowercase())?;
        let key = ObjectKey::new(ObjectKind::Function, &function.name);
        self.note_removed(function.creator, &key);
        Some(function)
    }

    pub fn instance(&self, id: &str) -> Option<&Instance> {
        self.instances.get(&id.to_ascii_lowercase())
    }

    /// Instances in id order, which is start-time order.
    pub fn instances(&self) -> impl Iterator<Item = &Instance> + '_ {
        self.instances.values()
    }

    pub fn insert_instance(&mut self, instance: Instance) {
        let key = instance.id.to_ascii_lowercase();
        self.note_created(instance.owner, ObjectKey::new(ObjectKind::Instance, &key));
        self.instances.insert(key, instance);
    }

    /// Whether the object exists (the project always does).
    pub fn exists(&self, key: &ObjectKey) -> bool {
        match key.kind {
            ObjectKind::Project => true,
            ObjectKind::Table => self.tables.contains_key(&key.name),
            ObjectKind::Function => self.functions.contains_key(&key.name),
            ObjectKind::Resource => self.resources.contains_key(&key.name),
            ObjectKind::Instance => self.instances.contains_key(&key.name),
            // Packages are not simulated: none is ever installed.
            ObjectKind::Package => false,
        }
    }

    /// Who created an object (the project has no creator here: it has an owner).
    pub fn creator(&self, key: &ObjectKey) -> Option<PrincipalId> {
        match key.kind {
            ObjectKind::Table => self.tables.get(&key.name).map(|t| t.creator),
            ObjectKind::Function => self.functions.get(&key.name).map(|f| f.creator),
            ObjectKind::Resource => self.resources.get(&key.name).map(|r| r.creator),
            ObjectKind::Instance => self.instances.get(&key.name).map(|i| i.owner),
            ObjectKind::Project | ObjectKind::Package => None,
        }
    }

    /// The objects a principal created, in key order.
    pub fn created_by(&self, id: PrincipalId) -> impl Iterator<Item = &ObjectKey> + '_ {
        self.created_by.get(&id).into_iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::{AccountId, Uid};

    const DEV: PrincipalId = PrincipalId::RamUser(Uid(26529000000000001));

    fn table(name: &str, creator: PrincipalId) -> Table {
        Table {
            name: name.into(),
            columns: vec![Column {
                name: "id".into(),
                data_type: "bigint".into(),
                comment: String::new(),
            }],
            comment: String::new(),
            creator,
            created: 1,
        }
    }

    #[test]
    fn keys_print_parse_and_make_paths() {
        for text in [
            "project",
            "tables/sales",
            "functions/f",
            "resources/udf.jar",
        ] {
            assert_eq!(text.parse::<ObjectKey>().unwrap().to_string(), text);
        }
        assert!("tables/".parse::<ObjectKey>().is_err());
        assert!("views/v".parse::<ObjectKey>().is_err());
        assert_eq!(ObjectKey::table("T").path("P"), "projects/P/tables/t");
        assert_eq!(
            ObjectKey::new(ObjectKind::Function, "f").path("P"),
            "projects/P/registration/functions/f"
        );
        assert_eq!(ObjectKey::project().path("P"), "projects/P");
    }

    #[test]
    fn creators_are_indexed_and_survive_a_round_trip() {
        let mut o = Objects::default();
        assert!(o.insert_table(table("Sales", DEV)));
        assert!(!o.insert_table(table("sales", DEV)));
        o.insert_instance(Instance {
            id: "2026x".into(),
            owner: DEV,
            started: 1,
            query: "select".into(),
        });
        let created: Vec<String> = o.created_by(DEV).map(ToString::to_string).collect();
        assert_eq!(created, ["tables/sales", "instances/2026x"]);
        let json = serde_json::to_string(&o).unwrap();
        let back: Objects = serde_json::from_str(&json).unwrap();
        assert_eq!(back, o);
        o.remove_table("SALES").unwrap();
        assert_eq!(o.created_by(DEV).count(), 1);
        assert_eq!(
            o.creator(&ObjectKey::new(ObjectKind::Instance, "2026X")),
            Some(DEV)
        );
        let owner = PrincipalId::Account(AccountId(1));
        assert_eq!(o.created_by(owner).count(), 0);
    }
}
