//! A project's objects as the service answers them, from the world's metadata: tables with their
//! schema and columns (no rows: odpsh keeps no data), resources (metadata only), functions, and
//! the instances jobs left (all terminated and successful). The caller's right to read each was
//! decided before, by the statement the shell reads it with (`show tables`, `desc <t>`, `list
//! resources`, `list functions`, `show instances`, `desc instance <id>`).

use serde_json::json;

use crate::engine::error::ObjectError;
use crate::engine::{Failure, OdpsError, names};
use crate::render::visible::json_safe_owned;
use crate::world::objects::{Instance, Table};
use crate::world::{PrincipalId, Project, World};

use super::super::errors::{self, ServerError};
use super::super::handler::Reply;
use super::super::listing::{InstanceFilter, Listing};
use super::super::xml::Doc;
use super::{http_date, visible_header};

/// The only table type odpsh simulates.
const MANAGED_TABLE: &str = "MANAGED_TABLE";
/// The task every instance of odpsh ran, as odpscmd names its SQL tasks.
const SQL_TASK: &str = "AnonymousSQLTask";

fn missing(e: ObjectError) -> ServerError {
    errors::refusal(&Failure::Odps(OdpsError::from(e)))
}

/// `<Marker>` and `<MaxItems>`, then the list's end.
fn close_list(mut doc: Doc, root: &str, marker: &str, listing: &Listing) -> Reply {
    doc.leaf("Marker", marker)
        .leaf("MaxItems", &listing.page_size().to_string())
        .close(root);
    Reply::xml(doc.finish())
}

fn table_head(doc: &mut Doc, world: &World, t: &Table) {
    let created = http_date(t.created);
    doc.leaf("Name", &t.name)
        .leaf("Comment", &t.comment)
        .leaf("Owner", &names::display(world, t.creator))
        .leaf("CreationTime", &created)
        .leaf("LastModifiedTime", &created)
        .leaf("Type", MANAGED_TABLE);
}

/// GET `/projects/<p>/tables`: the tables `show tables` lists. A `type` other than a managed
/// table matches none (odpsh has no views or external tables).
pub fn tables(world: &World, project: &Project, listing: &Listing) -> Reply {
    let kind = listing
        .kind
        .as_deref()
        .is_none_or(|k| k.eq_ignore_ascii_case(MANAGED_TABLE));
    let keyed: Vec<(String, &Table)> = project
        .objects()
        .tables()
        .filter(|t| kind && listing.admits(&t.name, &names::display(world, t.creator)))
        .map(|t| (t.name.to_ascii_lowercase(), t))
        .collect();
    let (page, marker) = listing.page(keyed);
    let mut doc = Doc::new();
    doc.open("Tables");
    for t in page {
        doc.open("Table");
        table_head(&mut doc, world, t);
        doc.close("Table");
    }
    close_list(doc, "Tables", &marker, listing)
}

/// GET `/projects/<p>/tables/<t>[?extended]`: the table with its schema, as JSON inside
/// `<Schema>` (columns, no partitions; size 0: no rows are kept).
pub fn table(
    world: &World,
    project: &Project,
    name: &str,
    extended: bool,
) -> Result<Reply, ServerError> {
    let t = project.objects().table(name).ok_or_else(|| {
        missing(ObjectError::TableNotFound {
            project: project.name.clone(),
            table: name.to_string(),
        })
    })?;
    let columns: Vec<serde_json::Value> = t
        .columns
        .iter()
        .map(|c| {
            json!({"name": c.name, "type": c.data_type, "comment": c.comment, "isNullable": true})
        })
        .collect();
    let mut schema = json!({
        "tableName": t.name,
        "comment": t.comment,
        "owner": names::display(world, t.creator),
        "createTime": t.created,
        "lastModifiedTime": t.created,
        "lastDDLTime": t.created,
        "isVirtualView": false,
        "isExternal": false,
        "lifecycle": -1,
        "size": 0,
        "columns": columns,
        "partitionKeys": [],
    });
    if extended && let Some(object) = schema.as_object_mut() {
        object.insert("IsArchived".into(), json!(false));
        object.insert("PhysicalSize".into(), json!(0));
        object.insert("FileNum".into(), json!(0));
    }
    let mut doc = Doc::new();
    doc.open("Table");
    table_head(&mut doc, world, t);
    doc.open_with("Schema", &[("format", "json")])
        .text(&json_safe_owned(schema.to_string()))
        .close("Schema")
        .close("Table");
    Ok(Reply::xml(doc.finish()))
}

/// GET `/projects/<p>/resources`: the resources `list resources` lists.
pub fn resources(world: &World, project: &Project, listing: &Listing) -> Reply {
    let keyed: Vec<_> = project
        .objects()
        .resources()
        .filter(|r| listing.admits(&r.name, &names::display(world, r.creator)))
        .map(|r| (r.name.to_ascii_lowercase(), r))
        .collect();
    let (page, marker) = listing.page(keyed);
    let mut doc = Doc::new();
    doc.open("Resources");
    for r in page {
        doc.open("Resource")
            .leaf("Name", &r.name)
            .leaf("Owner", &names::display(world, r.creator))
            .leaf("Comment", &r.comment)
            .leaf("ResourceType", r.kind.as_str())
            .leaf("CreationTime", &http_date(r.created))
            .leaf("LastModifiedTime", &http_date(r.updated))
            .close("Resource");
    }
    close_list(doc, "Resources", &marker, listing)
}

/// GET `/projects/<p>/resources/<r>?meta`: the resource's metadata, in headers as the service
/// sends it (no size: odpsh keeps no contents).
pub fn resource(world: &World, project: &Project, name: &str) -> Result<Reply, ServerError> {
    let r = project
        .objects()
        .resource(name)
        .ok_or_else(|| missing(ObjectError::ResourceNotFound(name.to_string())))?;
    let mut reply = Reply::xml(String::new());
    reply.headers = vec![
        (
            "x-odps-owner",
            visible_header(&names::display(world, r.creator)),
        ),
        ("x-odps-resource-type", r.kind.as_str().to_string()),
        ("x-odps-resource-name", visible_header(&r.name)),
        ("x-odps-comment", visible_header(&r.comment)),
        ("x-odps-creation-time", http_date(r.created)),
        ("last-modified", http_date(r.updated)),
    ];
    Ok(reply)
}

fn function_element(doc: &mut Doc, world: &World, f: &crate::world::objects::Function) {
    doc.open("Function")
        .leaf("Alias", &f.name)
        .leaf("Owner", &names::display(world, f.creator))
        .leaf("CreationTime", &http_date(f.created))
        .leaf("ClassType", &f.class)
        .open("Resources");
    for r in &f.resources {
        doc.leaf("ResourceName", r);
    }
    doc.close("Resources").close("Function");
}

/// GET `/projects/<p>/registration/functions`: the functions `list functions` lists.
pub fn functions(world: &World, project: &Project, listing: &Listing) -> Reply {
    let keyed: Vec<_> = project
        .objects()
        .functions()
        .filter(|f| listing.admits(&f.name, &names::display(world, f.creator)))
        .map(|f| (f.name.to_ascii_lowercase(), f))
        .collect();
    let (page, marker) = listing.page(keyed);
    let mut doc = Doc::new();
    doc.open("Functions");
    for f in page {
        function_element(&mut doc, world, f);
    }
    close_list(doc, "Functions", &marker, listing)
}

/// GET `/projects/<p>/registration/functions/<f>`.
pub fn function(world: &World, project: &Project, name: &str) -> Result<Reply, ServerError> {
    let f = project
        .objects()
        .function(name)
        .ok_or_else(|| missing(ObjectError::FunctionNotFound(name.to_string())))?;
    let mut doc = Doc::new();
    function_element(&mut doc, world, f);
    Ok(Reply::xml(doc.finish()))
}

fn instance_head(doc: &mut Doc, world: &World, i: &Instance) {
    let at = http_date(i.started);
    doc.leaf("Name", &i.id)
        .leaf("Owner", &names::display(world, i.owner))
        .leaf("StartTime", &at)
        .leaf("EndTime", &at)
        .leaf("Status", "Terminated");
}

/// GET `/projects/<p>/instances`: the instances `show instances` lists.
pub fn instances(
    world: &World,
    project: &Project,
    actor: PrincipalId,
    listing: &Listing,
    filter: &InstanceFilter,
) -> Reply {
    let keyed: Vec<_> = project
        .objects()
        .instances()
        .filter(|i| filter.admits(i.started, i.owner == actor))
        .filter(|i| listing.admits(&i.id, &names::display(world, i.owner)))
        .map(|i| (i.id.to_ascii_lowercase(), i))
        .collect();
    let (page, marker) = listing.page(keyed);
    let mut doc = Doc::new();
    doc.open("Instances");
    for i in page {
        doc.open("Instance");
        instance_head(&mut doc, world, i);
        doc.close("Instance");
    }
    close_list(doc, "Instances", &marker, listing)
}

/// GET `/projects/<p>/instances/<id>[?taskstatus]`: the instance's state and its one SQL task,
/// with the owner and times in headers.
pub fn instance(world: &World, project: &Project, id: &str) -> Result<Reply, ServerError> {
    let i = project
        .objects()
        .instance(id)
        .ok_or_else(|| missing(ObjectError::InstanceNotFound(id.to_string())))?;
    let at = http_date(i.started);
    let mut doc = Doc::new();
    doc.open("Instance")
        .leaf("Status", "Terminated")
        .open("Tasks")
        .open_with("Task", &[("Type", "SQL")])
        .leaf("Name", SQL_TASK)
        .leaf("StartTime", &at)
        .leaf("EndTime", &at)
        .leaf("Status", "Success")
        .close("Task")
        .close("Tasks")
        .close("Instance");
    let mut reply = Reply::xml(doc.finish());
    reply.headers = vec![
        (
            "x-odps-owner",
            visible_header(&names::display(world, i.owner)),
        ),
        ("x-odps-start-time", at.clone()),
        ("x-odps-end-time", at),
    ];
    Ok(reply)
}
