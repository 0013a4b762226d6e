"""PyODPS against `odpsh serve`: run by tests/pyodps.rs with the real client from PyPI.

Usage: suite.py ENDPOINT STATE ODPSH

The server serves the world file STATE; steps PyODPS cannot take (RAM console actions) are taken
with the odpsh binary on the same file, which the server sees at its next request.
"""

import json
import subprocess
import sys
import traceback

from odps import ODPS, errors

ENDPOINT, STATE, ODPSH = sys.argv[1:4]
PROJECT = "MaxCompute"
results = []


def odpsh(statement):
    """One statement run by the odpsh binary on the shared world file; its JSON record."""
    out = subprocess.run(
        [ODPSH, "--state", STATE, "--format", "ndjson", "-e", statement],
        check=False,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    record = json.loads(out.stdout.strip().splitlines()[-1])
    assert record["ok"], record
    return record["result"]


def key(user=None):
    cmd = "aliyun ram CreateAccessKey" + (f" --UserName {user}" if user else "")
    k = odpsh(cmd)["AccessKey"]
    return k["AccessKeyId"], k["AccessKeySecret"]


def step(name):
    def wrap(fn):
        try:
            fn()
            results.append((name, None))
            print(f"ok     {name}")
        except Exception:  # noqa: BLE001 - every failure is reported
            results.append((name, traceback.format_exc()))
            print(f"FAILED {name}\n{traceback.format_exc()}")
        return fn

    return wrap


ak, sk = key()
odpsh("aliyun ram CreateUser --UserName alice")
odpsh("aliyun ram CreateUser --UserName bob")
o = ODPS(ak, sk, PROJECT, endpoint=ENDPOINT)
ALICE = "RAM$MainCount:alice"
BOB = "RAM$MainCount:bob"


@step("add a user")
def _():
    assert o.run_security_query(f"add user {ALICE}") is None
    assert o.run_security_query("list users") == [ALICE]


@step("grant and revoke roles")
def _():
    o.run_security_query(f"grant role_project_dev, role_project_pe to {ALICE}")
    desc = o.run_security_query("describe role role_project_dev")
    assert desc["users"] == [ALICE], desc
    o.run_security_query(f"revoke role_project_pe from {ALICE};")
    assert o.run_security_query("describe role role_project_pe")["users"] == []
    assert o.run_security_query("describe role role_project_dev")["users"] == [ALICE]


@step("list users and roles through the REST resources")
def _():
    project = o.get_project()
    assert project.owner == "ALIYUN$MainCount", project.owner
    names = [u.display_name for u in project.users]
    assert names == [ALICE], names
    assert "role_project_dev" in [r.name for r in project.roles]
    assert ALICE in project.users
    assert "RAM$MainCount:nobody" not in project.users


@step("whoami")
def _():
    me = o.run_security_query("whoami")
    assert me["DisplayName"] == "ALIYUN$MainCount", me


@step("a RAM user deleted in the console stays as a residual p4_ member")
def _():
    o.run_security_query(f"add user {BOB}")
    o.run_security_query(f"grant role_project_dev to {BOB}")
    uid = odpsh("aliyun ram GetUser --UserName bob")["User"]["UserId"]
    odpsh("aliyun console DeleteUser --UserName bob")
    residual = f"p4_{uid}"
    users = o.run_security_query("list users")
    assert residual in users and BOB not in users, users
    try:
        o.run_security_query(f"remove user {residual}")
    except errors.ODPSError as e:
        assert "lack of account provider" in str(e), e
    else:
        raise AssertionError("remove user of a residual member succeeded")


@step("a wrong secret gets SignatureNotMatch")
def _():
    bad = ODPS(ak, "not-the-secret", PROJECT, endpoint=ENDPOINT)
    try:
        bad.run_security_query("list users")
    except errors.SignatureNotMatch as e:
        assert "ODPS-0410042" in str(e), e
    else:
        raise AssertionError("a wrong secret was accepted")


@step("a disabled key gets an error, an enabled one works")
def _():
    alice_ak, alice_sk = key("alice")
    odpsh(f"aliyun ram UpdateAccessKey --UserName alice --UserAccessKeyId {alice_ak} --Status Inactive")
    alice = ODPS(alice_ak, alice_sk, PROJECT, endpoint=ENDPOINT)
    try:
        alice.run_security_query("whoami")
    except errors.ODPSError as e:
        assert e.code == "AccessKeyIdDisabled", (e.code, str(e))
        assert f"accessKeyId is disabled: {alice_ak}" in str(e), e
    else:
        raise AssertionError("a disabled key was accepted")
    odpsh(f"aliyun ram UpdateAccessKey --UserName alice --UserAccessKeyId {alice_ak} --Status Active")
    assert alice.run_security_query("whoami")["DisplayName"] == ALICE
    # Alice holds role_project_dev only: managing users is refused as in the shell.
    try:
        alice.run_security_query("list users")
    except errors.NoPermission as e:
        assert "ODPS-0420095" in str(e), e
    else:
        raise AssertionError("a developer listed the users")


@step("an unknown key gets AccessKeyIdNotFound")
def _():
    try:
        ODPS("LTAInobody", "x", PROJECT, endpoint=ENDPOINT).run_security_query("whoami")
    except errors.ODPSError as e:
        assert e.code == "AccessKeyIdNotFound", e.code
    else:
        raise AssertionError("an unknown key was accepted")


@step("an STS credential signs as its RAM role (StsAccount); expired, it is refused")
def _():
    from odps.accounts import StsAccount

    main_id = odpsh("aliyun sts GetCallerIdentity")["AccountId"]
    odpsh("aliyun ram CreateUser --UserName scheduler")
    sched_ak, sched_sk = key("scheduler")
    trust = json.dumps({"Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow",
                                       "Principal": {"RAM": [f"acs:ram::{main_id}:user/scheduler"]}}],
                        "Version": "1"})
    odpsh(f"aliyun ram CreateRole --RoleName etl --AssumeRolePolicyDocument '{trust}'")
    odpsh("aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunSTSAssumeRoleAccess --UserName scheduler")
    role = f"RAM${main_id}:role/etl"
    o.run_security_query(f"add user `RAM$MainCount:role/etl`")
    o.run_security_query(f"grant role_project_dev to `{role}`")
    assert role in o.run_security_query("list users")
    out = subprocess.run(
        [ODPSH, "--state", STATE, "--format", "ndjson", "-u", sched_ak, "-p", sched_sk, "-e",
         f"aliyun sts AssumeRole --RoleArn acs:ram::{main_id}:role/etl --RoleSessionName nightly --DurationSeconds 900"],
        check=False, capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )
    record = json.loads(out.stdout.strip().splitlines()[-1])
    assert record["ok"], record
    c = record["result"]["Credentials"]
    job = ODPS(account=StsAccount(c["AccessKeyId"], c["AccessKeySecret"], c["SecurityToken"]),
               project=PROJECT, endpoint=ENDPOINT)
    assert job.run_security_query("whoami")["DisplayName"] == role
    assert "role_project_dev" in json.dumps(job.run_security_query("show grants"))
    # Without its token the STS AccessKeyId does not sign.
    try:
        ODPS(c["AccessKeyId"], c["AccessKeySecret"], PROJECT, endpoint=ENDPOINT).run_security_query("whoami")
    except errors.ODPSError as e:
        assert "needs its security token" in str(e), e
    else:
        raise AssertionError("an STS AccessKeyId signed without its token")
    odpsh("advance clock 16 minutes;")
    try:
        job.run_security_query("whoami")
    except errors.ODPSError as e:
        assert e.code == "InvalidSecurityToken", (e.code, str(e))
        assert "the security token has expired" in str(e), e
    else:
        raise AssertionError("an expired STS credential was accepted")


@step("V4-signed requests are verified")
def _():
    v4 = ODPS(ak, sk, PROJECT, endpoint=ENDPOINT, region_name="cn-hangzhou")
    assert v4.run_security_query("whoami")["DisplayName"] == "ALIYUN$MainCount"


@step("package statements run asynchronously")
def _():
    try:
        o.execute_security_query("install package other.pkg")
    except errors.SecurityQueryError as e:
        assert "Project not found - 'other'" in str(e), e
    else:
        raise AssertionError("install package succeeded")


def raises(error, fn):
    """Runs fn, which must raise `error` (and not NoSuchObject, PyODPS's "absent")."""
    try:
        fn()
    except error as e:
        assert not isinstance(e, errors.NoSuchObject), (type(e), e)
        return e
    raise AssertionError(f"no {error.__name__} raised")


# The cases of PyODPS's own odps/models/tests/test_security.py, against odpsh.
odpsh("aliyun ram CreateUser --UserName carol")
CAROL = "RAM$MainCount:carol"
ROLE = "pyodps_test_role"
project = o.get_project()


@step("test_security: project methods (current user, policy, security options)")
def _():
    me = project.current_user
    assert me.id is not None and me.display_name == "ALIYUN$MainCount", (me.id, me.display_name)
    # No project policy yet: the empty document.
    assert project.policy == {"Version": "1", "Statement": []}, project.policy
    options = project.security_options
    label = options.label_security
    options.label_security = True
    options.update()
    options.reload()
    assert options.label_security
    options.label_security = False
    options.update()
    options.reload()
    assert not options.label_security
    options.label_security = label
    options.update()


@step("test_security: roles")
def _():
    role = project.roles.create(ROLE)
    assert ROLE in [r.name for r in project.roles]
    assert ROLE in project.roles
    assert role in project.roles
    assert "non_exist_role_name" not in project.roles
    assert role.policy == {"Version": "1", "Statement": []}, role.policy
    project.roles.delete(ROLE)
    assert ROLE not in project.roles


@step("test_security: users")
def _():
    project.users.create(CAROL)
    assert CAROL in project.users
    assert CAROL in [user.display_name for user in project.users]
    assert "non_exist_user" not in project.users
    project.users.delete(CAROL)
    assert CAROL not in project.users


@step("test_security: grants both ways between a user and a role")
def _():
    role = project.roles.create(ROLE)
    user = project.users.create(CAROL)
    role.grant_to(user)
    assert user in role.users
    assert role in user.roles
    role.revoke_from(user)
    assert user not in role.users
    assert role not in user.roles
    user.grant_role(role)
    assert user in role.users
    assert role in user.roles
    user.revoke_role(role)
    assert user not in role.users
    assert role not in user.roles
    project.users.delete(CAROL)
    project.roles.delete(role)


@step("test_security: security queries, synchronous and asynchronous")
def _():
    assert "ALIYUN" in o.run_security_query("LIST ACCOUNTPROVIDERS")
    assert "ALIYUN" in o.execute_security_query("LIST ACCOUNTPROVIDERS")
    inst = o.run_security_query(f"INSTALL PACKAGE {project.name}.non_exist_package")
    assert isinstance(inst, project.AuthQueryInstance), inst
    raises(errors.SecurityQueryError, inst.wait_for_success)
    assert inst.is_terminated
    assert not inst.is_successful
    raises(
        errors.SecurityQueryError,
        lambda: o.execute_security_query(f"INSTALL PACKAGE {project.name}.non_exist_package"),
    )


@step("test_security: auth tokens (client-side check, then not simulated)")
def _():
    raises(errors.SecurityQueryError, lambda: project.generate_auth_token(None, "not_supported", 1))
    policy = {"Version": "1", "Statement": [{"Action": ["odps:*"], "Resource": "acs:odps:*:*", "Effect": "Allow"}]}
    raises(errors.NotSupportedError, lambda: project.generate_auth_token(policy, "bearer", 5))


# Objects made through the shell on the same world.
for statement in [
    "create table sales (id bigint comment 'the id', name string) comment 'Sales';",
    "add file data.txt comment 'hello';",
    "add jar udf.jar;",
    "create function myf as 'com.x.F' using 'udf.jar';",
]:
    odpsh(statement)
INSTANCE = odpsh("select * from sales;")["instance"]
# Alice (role_project_dev) has one key already; her second serves the steps below.
ALICE_KEY = key("alice")


@step("exist_* and list_* see the objects the shell made")
def _():
    assert o.exist_table("sales") and not o.exist_table("nope")
    assert [t.name for t in o.list_tables()] == ["sales"]
    table = o.get_table("sales")
    assert table.table_schema.names == ["id", "name"], table.table_schema
    assert [repr(c.type) for c in table.table_schema.columns] == ["bigint", "string"]
    assert table.table_schema.columns[0].comment == "the id"
    assert (table.comment, table.owner) == ("Sales", "ALIYUN$MainCount")
    assert o.exist_resource("data.txt") and not o.exist_resource("nope.txt")
    assert [r.name for r in o.list_resources()] == ["data.txt", "udf.jar"]
    resource = o.get_resource("data.txt")
    assert (resource.type.value, resource.comment) == ("FILE", "hello"), resource
    assert o.exist_function("myf") and not o.exist_function("nope")
    [function] = list(o.list_functions())
    assert (function.name, function.class_type) == ("myf", "com.x.F")
    assert [r.name for r in function.resources] == ["udf.jar"]
    assert o.exist_instance(INSTANCE) and not o.exist_instance("nope")
    assert INSTANCE in [i.id for i in o.list_instances()]
    instance = o.get_instance(INSTANCE)
    assert instance.is_terminated() and instance.is_successful()
    assert instance.owner == "ALIYUN$MainCount"


@step("security_options.update: the owner may, a developer is refused as by set")
def _():
    options = project.security_options
    options.reload()
    options.object_creator_has_grant_permission = False
    options.update()
    assert odpsh("show SecurityConfiguration;")["ObjectCreatorHasGrantPermission"] is False
    options.object_creator_has_grant_permission = True
    options.update()
    alice = ODPS(*ALICE_KEY, PROJECT, endpoint=ENDPOINT).get_project()
    theirs = alice.security_options
    theirs._loaded = True  # a developer may not even read it: send what the owner read
    for field in ("check_permission_using_acl", "check_permission_using_policy", "object_creator_has_access_permission", "object_creator_has_grant_permission"):
        setattr(theirs, field, True)
    theirs.label_security = True
    e = raises(errors.NoPermission, theirs.update)
    assert "odps:SetSecurityConfiguration" in str(e), e
    options.reload()
    assert not options.label_security


@step("project properties as setproject shows them, and the extended form")
def _():
    project.reload()
    assert project.properties["odps.sql.allow.fullscan"] == "false", project.properties
    assert project.properties["odps.python.udf.enabled"] == "false", project.properties
    odpsh("setproject odps.sql.allow.fullscan=true;")
    project.reload(all_props=True)
    assert project.get_property("odps.sql.allow.fullscan") == "true"
    assert dict(project.extended_properties) == {}


@step("list_projects: the projects the caller may use")
def _():
    odpsh("aliyun dataworks-public CreateProject --ProjectName team_b")
    assert sorted(p.name for p in o.list_projects()) == ["MaxCompute", "team_b"]
    assert [p.name for p in o.list_projects(prefix="team")] == ["team_b"]
    alice = ODPS(*ALICE_KEY, PROJECT, endpoint=ENDPOINT)
    assert [p.name for p in alice.list_projects()] == ["MaxCompute"]


@step("what odpsh does not serve raises an error, not an absence")
def _():
    raises(errors.NotSupportedError, lambda: list(o.list_volumes()))


@step("policies: the project's and a role's round trip, a broken one is refused, a deny refuses")
def _():
    assert o.get_project_policy() == {"Version": "1", "Statement": []}
    o.run_security_query("create role reader")
    deny = {"Version": "1", "Statement": [{"Effect": "Deny", "Action": ["odps:Drop"], "Resource": ["acs:odps:*:projects/MaxCompute/tables/sales*"]}]}
    o.set_role_policy("reader", deny)
    assert o.get_role_policy("reader") == deny
    bad = {"Version": "1", "Statement": [{"Effect": "Allw", "Action": "odps:Drop", "Resource": "acs:odps:*:projects/MaxCompute/tables/*"}]}
    e = raises(errors.ODPSError, lambda: o.set_role_policy("reader", bad))
    assert "failed to check policy format: invalid Effect value - Allw" in str(e), e
    assert o.get_role_policy("reader") == deny
    o.run_security_query(f"grant admin to {ALICE}")
    alice = ODPS(*ALICE_KEY, PROJECT, endpoint=ENDPOINT)
    assert ALICE in alice.run_security_query("list users")
    no_listing = {"Version": "1", "Statement": [{"Effect": "Deny", "Principal": [ALICE], "Action": ["odps:ListUsers"], "Resource": ["acs:odps:*:projects/MaxCompute/authorization/*"]}]}
    o.set_project_policy(no_listing)
    assert o.get_project_policy()["Statement"][0]["Principal"] == [ALICE]
    e = raises(errors.ODPSError, lambda: alice.run_security_query("list users"))
    assert "Authorization Failed [4011]" in str(e) and "Explicitly denied by policy" in str(e), e
    assert odpsh("get policy;")["Statement"][0]["Effect"] == "Deny"
    o.set_project_policy({"Version": "1", "Statement": []})
    o.run_security_query(f"revoke admin from {ALICE}")


@step("whoami in a project that does not exist is NoSuchObject")
def _():
    nowhere = ODPS(ak, sk, "Nope", endpoint=ENDPOINT)
    try:
        nowhere.run_security_query("whoami")
    except errors.NoSuchObject as e:
        assert "Project not found - 'Nope'" in str(e), e
    else:
        raise AssertionError("whoami in a missing project succeeded")


@step("packages: share a table into another project, install asynchronously, then close it")
def _():
    odpsh("create table sale_detail (shop_name string, total_price double);")
    for q in [
        "create package datashare",
        "add table sale_detail to package datashare",
        "allow project team_b to install package datashare",
    ]:
        o.run_security_query(q)
    described = o.execute_security_query("describe package datashare")
    assert described["objects"] == [{"type": "TABLE", "name": "sale_detail", "privileges": ["Describe", "Select"]}], described
    assert described["allowedProjects"] == [{"project": "team_b", "label": 0}], described
    b = ODPS(ak, sk, "team_b", endpoint=ENDPOINT)
    inst = b.run_security_query("install package MaxCompute.datashare")
    inst.wait_for_success()
    assert inst.is_successful
    b.run_security_query(f"add user {ALICE}")
    b.run_security_query(f"grant Read on package MaxCompute.datashare to user {ALICE}")
    installed = b.execute_security_query("show packages")["installedPackages"]
    assert [(p["name"], p["sourceProject"], p["status"]) for p in installed] == [("datashare", "MaxCompute", "OK")], installed
    raises(errors.SecurityQueryError, lambda: b.execute_security_query("install package MaxCompute.datashare"))
    o.run_security_query("disallow project team_b to install package datashare")
    installed = b.execute_security_query("show packages")["installedPackages"]
    assert installed[0]["status"] == "UNAVAILABLE", installed
    b.execute_security_query("uninstall package MaxCompute.datashare")
    grants = b.execute_security_query(f"show grants for {ALICE}")
    assert "packages/" not in json.dumps(grants), grants
    b.run_security_query(f"remove user {ALICE}")


@step("the project IP whitelist refuses requests from addresses it does not list")
def _():
    odpsh("setproject odps.security.ip.whitelist=10.0.0.0/8;")
    e = raises(errors.ODPSError, lambda: o.run_security_query("list users"))
    assert "Access denied by project ip white list: sourceIP:'127.0.0.1' is not in white list" in str(e), e
    # The REST resources too, not only security queries.
    e = raises(errors.ODPSError, lambda: [u.display_name for u in o.get_project("MaxCompute").users])
    assert "is not in white list. project: MaxCompute" in str(e), e
    odpsh("setproject odps.security.ip.whitelist=127.0.0.1;")
    o.run_security_query("list users")
    odpsh("setproject odps.security.ip.whitelist=;")


failed = sum(1 for _, err in results if err)
print(f"{len(results) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
