"""The MaxCompute OpenAPI SDK (alibabacloud_maxcompute20220104, ROA) against `odpsh serve`: run by
tests/openapi_sdk.rs with the SDK from PyPI (pinned there), pointed at odpsh by its endpoint and
protocol only. Every one of the nine actions odpsh serves runs through the SDK, signed ACS3 (the
SDK's default) and the ROA `acs AK:signature` form (signature_algorithm='v2'); refusals raise
the SDK's ClientException with the service's code.

Usage: maxcompute.py ADDRESS STATE ODPSH
"""

import json

from alibabacloud_maxcompute20220104 import models as mc
from alibabacloud_maxcompute20220104.client import Client as MaxCompute
from alibabacloud_ram20150501 import models as ram_models
from alibabacloud_ram20150501.client import Client as Ram
from alibabacloud_tea_openapi.exceptions import ClientException, ServerException
from alibabacloud_tea_openapi.utils import Utils

from harness import config, finish, main_key, odpsh, step

PROJECT = "MaxCompute"


def refused(call, code, status, exception=ClientException):
    try:
        call()
    except exception as e:
        assert (e.code, e.status_code) == (code, status), (e.code, e.status_code, str(e))
        return e
    raise AssertionError(f"expected {code}")


MAIN = main_key()
ram = Ram(config(*MAIN))
clients = {"ACS3": MaxCompute(config(*MAIN)), "ROA v1": MaxCompute(config(*MAIN, signature_algorithm="v2"))}


def user_names(body):
    return [u.name for u in body.data.users]


def seed_004(client, role, user):
    """Seed 004's flow through the SDK: the role is made, granted, listed, revoked, dropped."""
    member = f"RAM$MainCount:{user}"
    created = client.create_role(PROJECT, mc.CreateRoleRequest(body=json.dumps({
        "name": role, "type": "resource",
        "acl": {"table": [{"name": "sales", "actions": ["Describe", "Select"]}]},
    })))
    assert created.status_code == 200 and created.body.data == "success", created.body.to_map()
    assert len(created.body.request_id) == 36
    roles = {r.name: r for r in client.list_roles(PROJECT).body.data.roles}
    assert roles[role].type == "resource" and roles["admin"].type == "admin", roles
    assert [(t.name, t.actions) for t in roles[role].acl.table] == [("sales", ["Describe", "Select"])]
    added = client.update_users_to_role(PROJECT, role, mc.UpdateUsersToRoleRequest(add=[member]))
    assert added.body.data == "success"
    assert user_names(client.list_users_by_role(PROJECT, role).body) == [member]
    # The shell on the same file sees the grant at its next statement.
    assert odpsh(f"show grants for {member};")["result"]["roles"] == [role]
    refused(lambda: client.delete_role(PROJECT, role, mc.DeleteRoleRequest()), "InvalidArgument", 400)
    client.update_users_to_role(PROJECT, role, mc.UpdateUsersToRoleRequest(remove=[member]))
    assert user_names(client.list_users_by_role(PROJECT, role).body) == []
    assert client.delete_role(PROJECT, role, mc.DeleteRoleRequest()).body.data == "success"
    assert role not in [r.name for r in client.list_roles(PROJECT).body.data.roles]
    refused(lambda: client.list_users_by_role(PROJECT, role), "NoSuchObject", 404)


ram.create_user(ram_models.CreateUserRequest(user_name="bob"))
ram.create_user(ram_models.CreateUserRequest(user_name="carol"))
k = ram.create_access_key(ram_models.CreateAccessKeyRequest(user_name="carol")).body.access_key
CAROL = (k.access_key_id, k.access_key_secret)
assert odpsh("create table sales (id bigint); add user RAM$MainCount:bob; add user RAM$MainCount:carol; "
             "grant role_project_dev to RAM$MainCount:carol;")["ok"]
assert odpsh("aliyun dataworks-public CreateProject --ProjectName ws_trusted")["ok"]


for scheme, client in clients.items():
    @step(f"seed 004 through the MaxCompute SDK ({scheme}): CreateRole, ListRoles, UpdateUsersToRole, "
          "ListUsersByRole, DeleteRole")
    def _(client=client, scheme=scheme):
        seed_004(client, "analyst_v1" if scheme.startswith("ROA") else "analyst", "bob")

    @step(f"ListProjectUsers, GetProject, GetRolePolicy, GetTrustedProjects ({scheme})")
    def _(client=client):
        users = user_names(client.list_project_users(PROJECT).body)
        assert "RAM$MainCount:bob" in users and "RAM$MainCount:carol" in users, users
        project = client.get_project(PROJECT, mc.GetProjectRequest()).body
        assert project.data.name == PROJECT and project.data.status == "AVAILABLE", project.to_map()
        assert project.data.owner == "ALIYUN$MainCount" and project.data.security_properties is None
        assert project.data.properties.allow_full_scan is False
        verbose = client.get_project(PROJECT, mc.GetProjectRequest(verbose=True)).body.data
        assert verbose.security_properties.using_acl is True
        assert verbose.security_properties.project_protection.protected is False
        assert verbose.super_admins == []
        policy = json.loads(client.get_role_policy(PROJECT, "role_project_dev").body.data)
        assert policy["Version"] == "1" and policy["Statement"][0]["Effect"] == "Allow", policy
        assert f"acs:odps:*:projects/{PROJECT}/tables/*" in [s["Resource"][0] for s in policy["Statement"]]
        assert client.get_role_policy(PROJECT, "admin").body.data == ""
        assert client.get_trusted_projects(PROJECT).body.data == []
        assert odpsh("add trustedproject ws_trusted;")["ok"]
        assert client.get_trusted_projects(PROJECT).body.data == ["ws_trusted"]
        assert odpsh("remove trustedproject ws_trusted;")["ok"]


@step("refusals raise ClientException with the service's code, both signatures")
def _():
    for extra in ({}, {"signature_algorithm": "v2"}):
        dev = MaxCompute(config(*CAROL, **extra))
        e = refused(lambda: dev.list_project_users(PROJECT), "NoPermission", 403)
        assert "ODPS-0420095" in e.message, e.message
        refused(lambda: dev.create_role(PROJECT, mc.CreateRoleRequest(body='{"name":"r_dev"}')), "NoPermission", 403)
        # A developer reads the project as `setproject;` lets it.
        assert dev.get_project(PROJECT, mc.GetProjectRequest()).body.data.name == PROJECT
        owner = MaxCompute(config(*MAIN, **extra))
        refused(lambda: owner.list_roles("nope"), "NoSuchObject", 404)
        refused(lambda: owner.create_role(PROJECT, mc.CreateRoleRequest(body="not json")), "InvalidParameter", 400)
        refused(lambda: owner.create_role(PROJECT, mc.CreateRoleRequest(body='{"name":"r","type":"admin"}')),
                "NotSupported", 501, ServerException)
        e = refused(lambda: MaxCompute(config(MAIN[0], "not the secret", **extra)).list_roles(PROJECT),
                    "SignatureDoesNotMatch", 400)
        assert "server string to sign is:" in e.message and MAIN[1] not in e.message
        refused(lambda: MaxCompute(config("LTAInotakey0000000000000", "x", **extra)).list_roles(PROJECT),
                "InvalidAccessKeyId.NotFound", 404)


@step("a stale date or timestamp raises InvalidTimeStamp.Expired; a reused nonce SignatureNonceUsed")
def _():
    timestamp, date, nonce = Utils.get_timestamp, Utils.get_date_utcstring, Utils.get_nonce
    Utils.get_timestamp = staticmethod(lambda: "2020-01-01T00:00:00Z")
    Utils.get_date_utcstring = staticmethod(lambda: "Wed, 01 Jan 2020 00:00:00 GMT")
    try:
        for client in clients.values():
            refused(lambda: client.list_roles(PROJECT), "InvalidTimeStamp.Expired", 400)
    finally:
        Utils.get_timestamp, Utils.get_date_utcstring = timestamp, date
    for n, client in enumerate(clients.values()):
        Utils.get_nonce = staticmethod(lambda n=n: f"fixed-maxcompute-nonce-{n}")
        try:
            client.list_roles(PROJECT)
            refused(lambda: client.list_roles(PROJECT), "SignatureNonceUsed", 400)
        finally:
            Utils.get_nonce = nonce


finish()
