//! The routes PyODPS reads a project's objects and settings through, over HTTP: each answer's
//! exact status and XML (tables with their schema, resources, functions, instances, the projects
//! list, properties, the extended form), the security configuration PUT, what odpsh does not
//! serve, and `whoami` in a project that does not exist.

mod common;

use common::serve::{Served, create_key, odpsh_json};
use odpsh::server::client::{Answer, Call, Client};

const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

struct World {
    _dir: tempfile::TempDir,
    served: Served,
    main: (String, String),
    dev: (String, String),
    instance: String,
}

/// The main account's key (made at 00:00:01 of the world clock; each statement after it
/// takes a second), a developer, two tables, two
/// resources, a function and the instance of a `select`.
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("world.json");
    let main = create_key(&state, None);
    odpsh_json(&state, "aliyun ram CreateUser --UserName dev");
    let dev = create_key(&state, Some("dev"));
    for statement in [
        "add user RAM$MainCount:dev;",
        "grant role_project_dev to RAM$MainCount:dev;",
        "create table sales (id bigint comment 'the id', name string) comment 'Sales';",
        "create table orders (n int);",
        "add file data.txt comment 'hello';",
        "add jar udf.jar;",
        "create function myf as 'com.x.F' using 'udf.jar';",
    ] {
        assert_eq!(odpsh_json(&state, statement)["ok"], true, "{statement}");
    }
    let selected = odpsh_json(&state, "select * from sales;");
    let instance = selected["result"]["instance"].as_str().unwrap().to_string();
    let served = Served::start(&["--state", state.to_str().unwrap()], dir.path());
    World {
        _dir: dir,
        served,
        main,
        dev,
        instance,
    }
}

fn client(w: &World, key: &(String, String)) -> Client {
    Client::new(w.served.addr, &key.0, &key.1)
}

fn ok(answer: Answer) -> Answer {
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(answer.header("content-type"), Some("application/xml"));
    answer
}

/// The status, code and message of an `<Error>` answer.
fn error(answer: &Answer) -> (u16, String, String) {
    (
        answer.status,
        answer.element("Code").unwrap_or_default(),
        answer.element("Message").unwrap_or_default(),
    )
}

fn put(target: &str, body: &str) -> Call {
    Call {
        method: "PUT".into(),
        target: target.into(),
        body: body.as_bytes().to_vec(),
        content_type: Some("application/xml".into()),
        ..Call::default()
    }
}

#[test]
fn tables_are_listed_and_fetched_with_their_schema() {
    let w = world();
    let mut main = client(&w, &w.main);
    let tables = ok(main
        .send(&Call::get("/projects/MaxCompute/tables?expectmarker=true"))
        .unwrap());
    assert_eq!(
        tables.body,
        format!(
            "{DECL}<Tables><Table><Name>orders</Name><Comment></Comment><Owner>ALIYUN$MainCount</Owner><CreationTime>Thu, 01 Jan 2026 00:00:05 GMT</CreationTime><LastModifiedTime>Thu, 01 Jan 2026 00:00:05 GMT</LastModifiedTime><Type>MANAGED_TABLE</Type></Table><Table><Name>sales</Name><Comment>Sales</Comment><Owner>ALIYUN$MainCount</Owner><CreationTime>Thu, 01 Jan 2026 00:00:04 GMT</CreationTime><LastModifiedTime>Thu, 01 Jan 2026 00:00:04 GMT</LastModifiedTime><Type>MANAGED_TABLE</Type></Table><Marker></Marker><MaxItems>1000</MaxItems></Tables>"
        )
    );
    // A page of one, then the next after its marker.
    let first = ok(main
        .send(&Call::get(
            "/projects/MaxCompute/tables?expectmarker=true&maxitems=1",
        ))
        .unwrap());
    assert_eq!(first.element("Marker").as_deref(), Some("orders"));
    assert!(!first.body.contains("<Name>sales</Name>"), "{first:?}");
    let second = ok(main
        .send(&Call::get(
            "/projects/MaxCompute/tables?expectmarker=true&maxitems=1&marker=orders",
        ))
        .unwrap());
    assert_eq!(second.element("Marker").as_deref(), Some(""));
    assert!(second.body.contains("<Name>sales</Name>"), "{second:?}");
    let prefixed = ok(main
        .send(&Call::get(
            "/projects/MaxCompute/tables?name=SA&type=MANAGED_TABLE",
        ))
        .unwrap());
    assert!(prefixed.body.contains("<Name>sales</Name>") && !prefixed.body.contains("orders"));
    let views = ok(main
        .send(&Call::get("/projects/MaxCompute/tables?type=VIRTUAL_VIEW"))
        .unwrap());
    assert!(!views.body.contains("<Table>"), "{views:?}");

    let table = ok(main
        .send(&Call::get("/projects/MaxCompute/tables/sales"))
        .unwrap());
    let schema = r#"{&quot;tableName&quot;:&quot;sales&quot;,&quot;comment&quot;:&quot;Sales&quot;,&quot;owner&quot;:&quot;ALIYUN$MainCount&quot;,&quot;createTime&quot;:1767225604,&quot;lastModifiedTime&quot;:1767225604,&quot;lastDDLTime&quot;:1767225604,&quot;isVirtualView&quot;:false,&quot;isExternal&quot;:false,&quot;lifecycle&quot;:-1,&quot;size&quot;:0,&quot;columns&quot;:[{&quot;name&quot;:&quot;id&quot;,&quot;type&quot;:&quot;bigint&quot;,&quot;comment&quot;:&quot;the id&quot;,&quot;isNullable&quot;:true},{&quot;name&quot;:&quot;name&quot;,&quot;type&quot;:&quot;string&quot;,&quot;comment&quot;:&quot;&quot;,&quot;isNullable&quot;:true}],&quot;partitionKeys&quot;:[]"#;
    assert_eq!(
        table.body,
        format!(
            "{DECL}<Table><Name>sales</Name><Comment>Sales</Comment><Owner>ALIYUN$MainCount</Owner><CreationTime>Thu, 01 Jan 2026 00:00:04 GMT</CreationTime><LastModifiedTime>Thu, 01 Jan 2026 00:00:04 GMT</LastModifiedTime><Type>MANAGED_TABLE</Type><Schema format=\"json\">{schema}}}</Schema></Table>"
        )
    );
    let extended = ok(main
        .send(&Call::get("/projects/MaxCompute/tables/sales?extended"))
        .unwrap());
    assert!(
        extended.body.contains(
            "&quot;partitionKeys&quot;:[],&quot;IsArchived&quot;:false,&quot;PhysicalSize&quot;:0,&quot;FileNum&quot;:0}"
        ),
        "{extended:?}"
    );
    let missing = main
        .send(&Call::get("/projects/MaxCompute/tables/nope"))
        .unwrap();
    let (status, code, message) = error(&missing);
    assert_eq!((status, code.as_str()), (404, "NoSuchObject"));
    assert!(message.contains("nope"), "{message}");
}

#[test]
fn resources_functions_and_instances_answer_from_the_metadata() {
    let w = world();
    let mut main = client(&w, &w.main);
    let resources = ok(main
        .send(&Call::get(
            "/projects/MaxCompute/resources?expectmarker=true",
        ))
        .unwrap());
    assert_eq!(
        resources.body,
        format!(
            "{DECL}<Resources><Resource><Name>data.txt</Name><Owner>ALIYUN$MainCount</Owner><Comment>hello</Comment><ResourceType>file</ResourceType><CreationTime>Thu, 01 Jan 2026 00:00:06 GMT</CreationTime><LastModifiedTime>Thu, 01 Jan 2026 00:00:06 GMT</LastModifiedTime></Resource><Resource><Name>udf.jar</Name><Owner>ALIYUN$MainCount</Owner><Comment></Comment><ResourceType>jar</ResourceType><CreationTime>Thu, 01 Jan 2026 00:00:07 GMT</CreationTime><LastModifiedTime>Thu, 01 Jan 2026 00:00:07 GMT</LastModifiedTime></Resource><Marker></Marker><MaxItems>1000</MaxItems></Resources>"
        )
    );
    let meta = ok(main
        .send(&Call::get("/projects/MaxCompute/resources/data.txt?meta"))
        .unwrap());
    assert_eq!(meta.body, "");
    for (name, value) in [
        ("x-odps-owner", "ALIYUN$MainCount"),
        ("x-odps-resource-type", "file"),
        ("x-odps-resource-name", "data.txt"),
        ("x-odps-comment", "hello"),
        ("x-odps-creation-time", "Thu, 01 Jan 2026 00:00:06 GMT"),
        ("last-modified", "Thu, 01 Jan 2026 00:00:06 GMT"),
    ] {
        assert_eq!(meta.header(name), Some(value), "{name}: {meta:?}");
    }
    let missing = main
        .send(&Call::get("/projects/MaxCompute/resources/nope?meta"))
        .unwrap();
    assert_eq!(error(&missing).0, 404, "{missing:?}");

    let function = "<Function><Alias>myf</Alias><Owner>ALIYUN$MainCount</Owner><CreationTime>Thu, 01 Jan 2026 00:00:08 GMT</CreationTime><ClassType>com.x.F</ClassType><Resources><ResourceName>udf.jar</ResourceName></Resources></Function>";
    let functions = ok(main
        .send(&Call::get(
            "/projects/MaxCompute/registration%2Ffunctions?expectmarker=true",
        ))
        .unwrap());
    assert_eq!(
        functions.body,
        format!(
            "{DECL}<Functions>{function}<Marker></Marker><MaxItems>1000</MaxItems></Functions>"
        )
    );
    let one = ok(main
        .send(&Call::get(
            "/projects/MaxCompute/registration/functions/MYF",
        ))
        .unwrap());
    assert_eq!(one.body, format!("{DECL}{function}"));
    let missing = main
        .send(&Call::get(
            "/projects/MaxCompute/registration%2Ffunctions/nope",
        ))
        .unwrap();
    assert_eq!(error(&missing).0, 404, "{missing:?}");

    let id = &w.instance;
    let instances = ok(main
        .send(&Call::get("/projects/MaxCompute/instances"))
        .unwrap());
    let at = "Thu, 01 Jan 2026 00:00:09 GMT";
    assert!(
        instances.body.contains(&format!(
            "<Instance><Name>{id}</Name><Owner>ALIYUN$MainCount</Owner><StartTime>{at}</StartTime><EndTime>{at}</EndTime><Status>Terminated</Status></Instance>"
        )),
        "{instances:?}"
    );
    // The two tables' jobs and the select.
    assert_eq!(instances.body.matches("<Instance>").count(), 3);
    let running = ok(main
        .send(&Call::get("/projects/MaxCompute/instances?status=Running"))
        .unwrap());
    assert_eq!(running.body.matches("<Instance>").count(), 0);
    let instance = ok(main
        .send(&Call::get(&format!(
            "/projects/MaxCompute/instances/{id}?taskstatus"
        )))
        .unwrap());
    assert_eq!(
        instance.body,
        format!(
            "{DECL}<Instance><Status>Terminated</Status><Tasks><Task Type=\"SQL\"><Name>AnonymousSQLTask</Name><StartTime>{at}</StartTime><EndTime>{at}</EndTime><Status>Success</Status></Task></Tasks></Instance>"
        )
    );
    assert_eq!(instance.header("x-odps-owner"), Some("ALIYUN$MainCount"));
    assert_eq!(instance.header("x-odps-start-time"), Some(at));
    // A developer's own instances are none; it may read the owner's, as `desc instance` does.
    let mut dev = client(&w, &w.dev);
    let mine = ok(dev
        .send(&Call::get("/projects/MaxCompute/instances?onlyowner=yes"))
        .unwrap());
    assert_eq!(mine.body.matches("<Instance>").count(), 0);
    let theirs = ok(dev
        .send(&Call::get(&format!("/projects/MaxCompute/instances/{id}")))
        .unwrap());
    assert_eq!(theirs.body, instance.body);
}

#[test]
fn projects_properties_and_the_extended_form() {
    let w = world();
    let mut main = client(&w, &w.main);
    let properties = "<Properties><Property><Name>odps.sql.allow.fullscan</Name><Value>false</Value></Property><Property><Name>odps.security.ip.whitelist</Name><Value></Value></Property><Property><Name>odps.security.vpc.whitelist</Name><Value></Value></Property><Property><Name>odps.security.enabledownloadprivilege</Name><Value>false</Value></Property><Property><Name>odps.python.udf.enabled</Name><Value>false</Value></Property></Properties>";
    let project = ok(main.send(&Call::get("/projects/MaxCompute")).unwrap());
    assert!(project.body.contains(properties), "{project:?}");
    let listed = ok(main
        .send(&Call::get("/projects?expectmarker=true"))
        .unwrap());
    assert!(
        listed.body.starts_with(&format!(
            "{DECL}<Projects><Project><Name>MaxCompute</Name><Type>managed</Type><Comment></Comment><State>AVAILABLE</State><Owner>ALIYUN$MainCount</Owner>"
        )),
        "{listed:?}"
    );
    assert!(
        listed.body.ends_with(&format!(
            "{properties}</Project><Marker></Marker><MaxItems>1000</MaxItems></Projects>"
        )),
        "{listed:?}"
    );
    let other_owner = ok(main
        .send(&Call::get("/projects?owner=ALIYUN$Someone"))
        .unwrap());
    assert!(!other_owner.body.contains("<Project>"), "{other_owner:?}");
    let with_dev = ok(main
        .send(&Call::get("/projects?user=RAM$MainCount:dev"))
        .unwrap());
    assert!(with_dev.body.contains("<Name>MaxCompute</Name>"));
    let extended = ok(main
        .send(&Call::get("/projects/MaxCompute?extended"))
        .unwrap());
    assert_eq!(
        extended.body,
        format!(
            "{DECL}<Project><Name>MaxCompute</Name><ExtendedProperties></ExtendedProperties></Project>"
        )
    );
}

#[test]
fn the_security_configuration_is_put_with_the_rules_of_set() {
    let w = world();
    let mut main = client(&w, &w.main);
    let target = "/projects/MaxCompute?security_configuration";
    let body = |label: &str| {
        format!(
            "<SecurityConfiguration><CheckPermissionUsingAcl>true</CheckPermissionUsingAcl><LabelSecurity>{label}</LabelSecurity><ProjectProtection Protected=\"false\"/></SecurityConfiguration>"
        )
    };
    let done = main.send(&put(target, &body("true"))).unwrap();
    assert_eq!((done.status, done.body.as_str()), (200, ""), "{done:?}");
    let now = ok(main.send(&Call::get(target)).unwrap());
    assert!(
        now.body.contains("<LabelSecurity>true</LabelSecurity>"),
        "{now:?}"
    );
    // A developer is refused as `set LabelSecurity=false;` refuses it; nothing changes.
    let mut dev = client(&w, &w.dev);
    let refused = dev.send(&put(target, &body("false"))).unwrap();
    assert_eq!(
        error(&refused),
        (
            403,
            "NoPermission".into(),
            "ODPS-0420095: Access Denied - You have no privilege 'odps:SetSecurityConfiguration' on {acs:odps:*:projects/MaxCompute}".into()
        )
    );
    let not_boolean = main.send(&put(target, &body("yes"))).unwrap();
    let (status, code, message) = error(&not_boolean);
    assert_eq!((status, code.as_str()), (400, "InvalidArgument"));
    assert!(
        message.starts_with("LabelSecurity must be boolean"),
        "{message}"
    );
    let malformed = main.send(&put(target, "<SecurityConfiguration>")).unwrap();
    assert_eq!(
        error(&malformed),
        (
            400,
            "InvalidArgument".into(),
            "ODPS-0420411:Invalid argument - the body is not a valid <SecurityConfiguration>: the document ends before </SecurityConfiguration>".into()
        )
    );
    let now = ok(main.send(&Call::get(target)).unwrap());
    assert!(now.body.contains("<LabelSecurity>true</LabelSecurity>"));
}

#[test]
fn policies_are_served_as_get_policy_answers_them() {
    let w = world();
    let mut main = client(&w, &w.main);
    let answer = main
        .send(&Call::get("/projects/MaxCompute?policy"))
        .unwrap();
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(answer.header("content-type"), Some("application/json"));
    assert_eq!(answer.body, r#"{"Version":"1","Statement":[]}"#);
}

#[test]
fn what_odpsh_does_not_serve_is_an_error_not_an_absence() {
    let w = world();
    let mut main = client(&w, &w.main);
    for (target, message) in [
        (
            "/projects/MaxCompute?security_policy",
            "odpsh serve does not simulate the security (exception) policy yet (it comes with download control): GET /api/projects/MaxCompute",
        ),
        (
            "/projects/MaxCompute/resources/data.txt",
            "odpsh serve does not simulate resource contents (resources are kept as metadata only): GET /api/projects/MaxCompute/resources/data.txt",
        ),
        (
            "/projects/MaxCompute/schemas",
            "odpsh serve does not simulate this request: GET /api/projects/MaxCompute/schemas",
        ),
    ] {
        let answer = main.send(&Call::get(target)).unwrap();
        assert_eq!(
            error(&answer),
            (501, "NotSupportedError".into(), message.into()),
            "{target}"
        );
        assert!(answer.element("RequestId").is_some() && answer.element("HostId").is_some());
    }
    // Unauthenticated, it is the authentication that is refused first.
    let answer = Client::new(w.served.addr, "LTAInobody", "x")
        .send(&Call::get("/projects/MaxCompute?policy"))
        .unwrap();
    assert_eq!(answer.status, 401);
}

#[test]
fn whoami_in_a_project_that_does_not_exist_is_not_found() {
    let w = world();
    let mut main = client(&w, &w.main);
    let answer = main
        .send(&Call::security_query("Nope", "whoami", true))
        .unwrap();
    assert_eq!(
        error(&answer),
        (
            404,
            "NoSuchObject".into(),
            "ODPS-0420111: Project not found - 'Nope'.".into()
        )
    );
}

#[test]
fn request_ids_differ_between_runs_of_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<String> = (0..2)
        .map(|_| {
            let served = Served::start(&["--fresh"], dir.path());
            let answer = Client::new(served.addr, "LTAInobody", "x")
                .send(&Call::get("/tenants"))
                .unwrap();
            answer.header("x-odps-request-id").unwrap().to_string()
        })
        .collect();
    assert_eq!(ids[0].len(), 24);
    assert_ne!(ids[0][..16], ids[1][..16], "{ids:?}");
}
