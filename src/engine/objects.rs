//! The object statements that are requests rather than jobs: `show tables`, `desc`, resources,
//! functions and instances. Each checks membership, then that the object exists, then the
//! privilege; a refusal names the permission-matrix row that governs the statement.

use crate::syntax::ObjectStatement;
use crate::syntax::{AddResource, TableRef};
use crate::world::acl::Privilege;
use crate::world::objects::{Function, ObjectKey, ObjectKind, Resource, ResourceKind};
use crate::world::{Project, World};

use super::access::require_member;
use super::authorize::{Authority, refuse};
use super::error::{Channel, ObjectError, OdpsError, Refusal};
use super::matrix::{
    self, ROW_CREATE_DELETE_FUNCTION, ROW_CREATE_DELETE_RESOURCE, ROW_CROSS_PROJECT_TABLE,
    ROW_LIST_FUNCTIONS, ROW_LIST_RESOURCES, ROW_PYTHON_UDF, ROW_TABLE_METADATA,
    ROW_UPLOAD_RESOURCE,
};
use super::names::display;
use super::project_statements::current;
use super::{
    Caller, Failure, FunctionListing, InstanceListing, Outcome, Output, ResourceListing, Session,
    TableDescription, TableListing,
};

/// Requires `action` on `key` in the current project, refusing with `row` in the tips.
pub fn require(
    world: &World,
    project: &Project,
    caller: Caller,
    key: &ObjectKey,
    action: Privilege,
    row: Option<u8>,
) -> Result<(), OdpsError> {
    let authority = Authority::asking(world, project, caller);
    if authority.may(key, action) {
        return Ok(());
    }
    let refusal = authority.refusal(key, action);
    Err(refuse(world, caller.actor, Channel::Rest, refusal, row))
}

/// The current project, once the actor is a member allowed to list its objects (`List` on the
/// project; `row` names the matrix row a refusal cites).
fn listable<'w>(
    world: &'w World,
    session: &Session,
    row: Option<u8>,
) -> Result<&'w Project, OdpsError> {
    let project = current(world, session)?;
    require_member(project, session.actor)?;
    require(
        world,
        project,
        session.caller(),
        &ObjectKey::project(),
        Privilege::List,
        row,
    )?;
    Ok(project)
}

pub fn show_tables(world: &World, session: &Session) -> Outcome {
    let project = listable(world, session, Some(ROW_TABLE_METADATA))?;
    let tables = project
        .objects()
        .tables()
        .map(|t| TableListing {
            owner: display(world, t.creator),
            name: t.name.clone(),
        })
        .collect();
    Ok(Output::Tables(tables))
}

/// The project a table reference names: the current one, or another one of the world.
pub fn project_of<'w>(
    world: &'w World,
    session: &Session,
    table: &TableRef,
) -> Result<&'w Project, OdpsError> {
    match &table.project {
        None => current(world, session),
        Some(name) => world
            .project(name)
            .ok_or_else(|| OdpsError::ProjectNotFound(name.clone())),
    }
}

pub fn describe_table(world: &World, session: &Session, table: &TableRef) -> Outcome {
    let home = current(world, session)?;
    require_member(home, session.actor)?;
    let project = project_of(world, session, table)?;
    let elsewhere = project.name != home.name;
    let row = if elsewhere {
        ROW_CROSS_PROJECT_TABLE
    } else {
        ROW_TABLE_METADATA
    };
    let key = ObjectKey::table(&table.table);
    let packaged = elsewhere
        && super::outflow::package_route(
            world,
            home,
            session.caller(),
            project,
            &key,
            Privilege::Describe,
        )
        .is_some();
    if elsewhere && !packaged && !Authority::asking(world, project, session.caller()).is_member() {
        let refusal = Refusal::NotInProject(project.name.clone());
        return Err(refuse(world, session.actor, Channel::Rest, refusal, Some(row)).into());
    }
    let Some(t) = project.objects().table(&table.table) else {
        return Err(OdpsError::from(ObjectError::TableNotFound {
            project: project.name.clone(),
            table: table.table.clone(),
        })
        .into());
    };
    if !packaged {
        require(
            world,
            project,
            session.caller(),
            &key,
            Privilege::Describe,
            Some(row),
        )?;
    }
    Ok(Output::TableDescription(TableDescription {
        owner: display(world, t.creator),
        project: project.name.clone(),
        name: t.name.clone(),
        comment: t.comment.clone(),
        created: t.created,
        columns: t
            .columns
            .iter()
            .map(|c| (c.name.clone(), c.data_type.clone(), c.comment.clone()))
            .collect(),
        labels: super::labels::described(project, t),
    }))
}

/// `add file|jar|archive|py <file> [as <name>] [comment '…'] [-f]`: a new resource needs
/// CreateResource on the project; replacing one (`-f`) needs Write on it.
pub fn add_resource(world: &mut World, session: &Session, add: &AddResource) -> Outcome {
    let project = current(world, session)?;
    require_member(project, session.actor)?;
    let key = ObjectKey::new(ObjectKind::Resource, &add.name);
    let existing = project.objects().resource(&add.name).cloned();
    let row = Some(ROW_UPLOAD_RESOURCE);
    match &existing {
        Some(_) if !add.force => {
            return Err(OdpsError::from(ObjectError::ResourceExists(add.name.clone())).into());
        }
        Some(_) => require(
            world,
            project,
            session.caller(),
            &key,
            Privilege::Write,
            row,
        )?,
        None => {
            let project_key = ObjectKey::project();
            require(
                world,
                project,
                session.caller(),
                &project_key,
                Privilege::CreateResource,
                row,
            )?
        }
    }
    let now = world.clock.tick();
    let resource = match existing {
        Some(old) => Resource {
            kind: add.kind,
            comment: add.comment.clone().unwrap_or(old.comment.clone()),
            updated: now,
            ..old
        },
        None => Resource {
            name: add.name.clone(),
            kind: add.kind,
            comment: add.comment.clone().unwrap_or_default(),
            creator: session.actor,
            created: now,
            updated: now,
        },
    };
    if let Some(p) = world.project_mut(&session.project) {
        p.put_resource(resource);
    }
    Ok(Output::Done)
}

pub fn list_resources(world: &World, session: &Session) -> Outcome {
    let project = listable(world, session, Some(ROW_LIST_RESOURCES))?;
    let resources = project
        .objects()
        .resources()
        .map(|r| ResourceListing {
            name: r.name.clone(),
            owner: display(world, r.creator),
            kind: r.kind.as_str(),
            comment: r.comment.clone(),
            updated: r.updated,
        })
        .collect();
    Ok(Output::Resources(resources))
}

pub fn drop_resource(world: &mut World, session: &Session, name: &str) -> Outcome {
    let project = current(world, session)?;
    require_member(project, session.actor)?;
    if project.objects().resource(name).is_none() {
        return Err(OdpsError::from(ObjectError::ResourceNotFound(name.to_string())).into());
    }
    let key = ObjectKey::new(ObjectKind::Resource, name);
    let row = Some(ROW_CREATE_DELETE_RESOURCE);
    require(
        world,
        project,
        session.caller(),
        &key,
        Privilege::Delete,
        row,
    )?;
    if let Some(p) = world.project_mut(&session.project) {
        p.remove_resource(name);
    }
    Ok(Output::Done)
}

pub fn create_function(
    world: &mut World,
    session: &Session,
    name: &str,
    class: &str,
    resources: &[String],
) -> Outcome {
    let project = current(world, session)?;
    require_member(project, session.actor)?;
    let key = ObjectKey::project();
    let row = Some(ROW_CREATE_DELETE_FUNCTION);
    require(
        world,
        project,
        session.caller(),
        &key,
        Privilege::CreateFunction,
        row,
    )?;
    if project.objects().function(name).is_some() {
        return Err(OdpsError::from(ObjectError::FunctionExists(name.to_string())).into());
    }
    if let Some(missing) = resources
        .iter()
        .find(|r| project.objects().resource(r).is_none())
    {
        return Err(OdpsError::from(ObjectError::ResourceNotFound(missing.clone())).into());
    }
    // A function over a Python resource is a Python UDF: the project needs it enabled first
    // (permission matrix row 19, "工单申请开通").
    let python = resources.iter().any(|r| {
        project
            .objects()
            .resource(r)
            .is_some_and(|res| res.kind == ResourceKind::Py)
    });
    if python {
        matrix::check_prerequisite(world, ROW_PYTHON_UDF, project.owner, Some(project)).map_err(
            |denial| Failure::Matrix {
                denial,
                request_id: None,
            },
        )?;
    }
    let created = world.clock.tick();
    let function = Function {
        name: name.to_string(),
        class: class.to_string(),
        resources: resources.to_vec(),
        creator: session.actor,
        created,
    };
    if let Some(p) = world.project_mut(&session.project) {
        p.insert_function(function);
    }
    Ok(Output::Done)
}

pub fn list_functions(world: &World, session: &Session) -> Outcome {
    let project = listable(world, session, Some(ROW_LIST_FUNCTIONS))?;
    let functions = project
        .objects()
        .functions()
        .map(|f| FunctionListing {
            name: f.name.clone(),
            owner: display(world, f.creator),
            created: f.created,
            class: f.class.clone(),
            resources: f.resources.clone(),
        })
        .collect();
    Ok(Output::Functions(functions))
}

pub fn drop_function(world: &mut World, session: &Session, name: &str) -> Outcome {
    let project = current(world, session)?;
    require_member(project, session.actor)?;
    if project.objects().function(name).is_none() {
        return Err(OdpsError::from(ObjectError::FunctionNotFound(name.to_string())).into());
    }
    let key = ObjectKey::new(ObjectKind::Function, name);
    let row = Some(ROW_CREATE_DELETE_FUNCTION);
    require(
        world,
        project,
        session.caller(),
        &key,
        Privilege::Delete,
        row,
    )?;
    if let Some(p) = world.project_mut(&session.project) {
        p.remove_function(name);
    }
    Ok(Output::Done)
}

fn listing(world: &World, i: &crate::world::objects::Instance) -> InstanceListing {
    InstanceListing {
        id: i.id.clone(),
        owner: display(world, i.owner),
        started: i.started,
        query: i.query.clone(),
    }
}

pub fn show_instances(world: &World, session: &Session) -> Outcome {
    let project = listable(world, session, None)?;
    let instances = project
        .objects()
        .instances()
        .map(|i| listing(world, i))
        .collect();
    Ok(Output::Instances(instances))
}

pub fn describe_instance(world: &World, session: &Session, id: &str) -> Outcome {
    let project = current(world, session)?;
    require_member(project, session.actor)?;
    let Some(instance) = project.objects().instance(id) else {
        return Err(OdpsError::from(ObjectError::InstanceNotFound(id.to_string())).into());
    };
    let key = ObjectKey::new(ObjectKind::Instance, id);
    require(
        world,
        project,
        session.caller(),
        &key,
        Privilege::Read,
        None,
    )?;
    Ok(Output::InstanceDescription(listing(world, instance)))
}

/// The objects family; the statements that run a job go to `jobs` with their canonical text.
pub fn execute(world: &mut World, session: &mut Session, s: &ObjectStatement) -> Outcome {
    use super::jobs;
    match s {
        ObjectStatement::CreateTable {
            if_not_exists,
            name,
            columns,
            comment,
        } => jobs::create_table(
            world,
            session,
            s.to_string(),
            name,
            columns,
            comment.as_deref(),
            *if_not_exists,
        ),
        ObjectStatement::DropTable { if_exists, name } => {
            jobs::drop_table(world, session, s.to_string(), name, *if_exists)
        }
        ObjectStatement::Select(query) => jobs::select(world, session, s.to_string(), query),
        ObjectStatement::Insert { target, query, .. } => {
            jobs::insert(world, session, s.to_string(), target, query)
        }
        ObjectStatement::ShowTables => show_tables(world, session),
        ObjectStatement::DescribeTable(table) => describe_table(world, session, table),
        ObjectStatement::AddResource(add) => add_resource(world, session, add),
        ObjectStatement::ListResources => list_resources(world, session),
        ObjectStatement::DropResource(name) => drop_resource(world, session, name),
        ObjectStatement::CreateFunction {
            name,
            class,
            resources,
        } => create_function(world, session, name, class, resources),
        ObjectStatement::ListFunctions => list_functions(world, session),
        ObjectStatement::DropFunction(name) => drop_function(world, session, name),
        ObjectStatement::ShowInstances => show_instances(world, session),
        ObjectStatement::DescribeInstance(id) => describe_instance(world, session, id),
    }
}
