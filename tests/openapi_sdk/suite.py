"""The Alibaba Cloud Python SDKs against `odpsh serve`: run by tests/openapi_sdk.rs with the real
SDKs from PyPI (pinned there), each pointed at odpsh by its endpoint and protocol only.

Usage: suite.py ADDRESS STATE ODPSH

ADDRESS is the server's host:port. The server serves the world file STATE; the one step no SDK
takes here (the main account's first AccessKey) is taken with the odpsh binary on the same file
(harness.py).
"""

import json
import time
import urllib.error
import urllib.request

from alibabacloud_dataworks_public20200518 import models as dw_models
from alibabacloud_dataworks_public20200518.client import Client as DataWorks
from alibabacloud_ims20190815.client import Client as Ims
from alibabacloud_ram20150501 import models as ram_models
from alibabacloud_ram20150501.client import Client as Ram
from alibabacloud_sts20150401 import models as sts_models
from alibabacloud_sts20150401.client import Client as Sts
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_tea_openapi.utils import Utils

from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.auth.composer import rpc_signature_composer
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.utils import parameter_helper
from aliyunsdkram.request.v20150501 import (
    AttachPolicyToUserRequest,
    CreateAccessKeyRequest,
    CreateUserRequest,
    DeleteAccessKeyRequest,
    DeleteUserRequest,
    DetachPolicyFromUserRequest,
    ListPoliciesForUserRequest,
    ListUsersRequest,
)

from harness import ADDRESS, config, finish, main_key, odpsh, step


def core_request(request):
    # The same two lines for aliyun-python-sdk-core: the request's endpoint and protocol.
    request.set_endpoint(ADDRESS)
    request.set_protocol_type("http")
    return request


def refused(call, exception, code, status):
    """Runs `call`, which must raise `exception` with this code and HTTP status."""
    try:
        call()
    except exception as e:
        got = (e.code, e.status_code) if exception is ClientException else (
            e.get_error_code(), e.get_http_status())
        assert got == (code, status), (got, str(e))
        return e
    raise AssertionError(f"expected {code}")


MAIN = main_key()
ram = Ram(config(*MAIN))
ram_v1 = Ram(config(*MAIN, signature_algorithm="v2"))
core = AcsClient(MAIN[0], MAIN[1], "cn-hangzhou")
POLICY = "AliyunDataWorksFullAccess"


def tea_seed_002(client, user):
    """Seed 002 through a Tea RAM client, off-boarding in the order the API demands."""
    created = client.create_user(ram_models.CreateUserRequest(user_name=user, display_name="Han Meimei"))
    assert created.status_code == 200
    assert created.body.user.user_name == user
    assert created.body.user.display_name == "Han Meimei"
    assert len(created.body.user.user_id) >= 16
    key = client.create_access_key(ram_models.CreateAccessKeyRequest(user_name=user)).body.access_key
    assert key.status == "Active" and len(key.access_key_secret) == 30
    attach = ram_models.AttachPolicyToUserRequest(policy_type="System", policy_name=POLICY, user_name=user)
    client.attach_policy_to_user(attach)
    policies = client.list_policies_for_user(ram_models.ListPoliciesForUserRequest(user_name=user))
    assert [p.policy_name for p in policies.body.policies.policy] == [POLICY]
    # The shell on the same file sees the user at its next statement.
    assert odpsh(f"aliyun ram GetUser --UserName {user}")["ok"]
    refused(
        lambda: client.delete_user(ram_models.DeleteUserRequest(user_name=user)),
        ClientException, "DeleteConflict.User.AccessKey", 409,
    )
    client.detach_policy_from_user(
        ram_models.DetachPolicyFromUserRequest(policy_type="System", policy_name=POLICY, user_name=user))
    client.delete_access_key(ram_models.DeleteAccessKeyRequest(user_name=user, user_access_key_id=key.access_key_id))
    client.delete_user(ram_models.DeleteUserRequest(user_name=user))
    refused(
        lambda: client.get_user(ram_models.GetUserRequest(user_name=user)),
        ClientException, "EntityNotExist.User", 404,
    )
    assert odpsh(f"aliyun ram GetUser --UserName {user}")["error"]["code"] == "EntityNotExist.User"


@step("seed 002 through the RAM SDK (ACS3-HMAC-SHA256)")
def _():
    tea_seed_002(ram, "hanmeimei")


@step("seed 002 through the RAM SDK signing RPC V1 (signature_algorithm='v2')")
def _():
    tea_seed_002(ram_v1, "lilei")


@step("seed 002 through aliyun-python-sdk-core and aliyun-python-sdk-ram")
def _():
    def call(request_class, **params):
        request = core_request(request_class())
        for name, value in params.items():
            getattr(request, f"set_{name}")(value)
        return json.loads(core.do_action_with_exception(request))

    user = "zhangsan"
    assert call(CreateUserRequest.CreateUserRequest, UserName=user)["User"]["UserName"] == user
    key = call(CreateAccessKeyRequest.CreateAccessKeyRequest, UserName=user)["AccessKey"]
    policy = dict(PolicyType="System", PolicyName=POLICY, UserName=user)
    call(AttachPolicyToUserRequest.AttachPolicyToUserRequest, **policy)
    listed = call(ListPoliciesForUserRequest.ListPoliciesForUserRequest, UserName=user)
    assert [p["PolicyName"] for p in listed["Policies"]["Policy"]] == [POLICY]
    refused(lambda: call(DeleteUserRequest.DeleteUserRequest, UserName=user),
            ServerException, "DeleteConflict.User.AccessKey", 409)
    call(DetachPolicyFromUserRequest.DetachPolicyFromUserRequest, **policy)
    call(DeleteAccessKeyRequest.DeleteAccessKeyRequest, UserName=user, UserAccessKeyId=key["AccessKeyId"])
    call(DeleteUserRequest.DeleteUserRequest, UserName=user)
    users = call(ListUsersRequest.ListUsersRequest)["Users"]["User"]
    assert user not in [u["UserName"] for u in users], users


# A RAM user with a key and no RAM policy, and one whose key is disabled.
ram.create_user(ram_models.CreateUserRequest(user_name="alice"))
k = ram.create_access_key(ram_models.CreateAccessKeyRequest(user_name="alice")).body.access_key
ALICE = (k.access_key_id, k.access_key_secret)
ram.create_user(ram_models.CreateUserRequest(user_name="dave"))
k = ram.create_access_key(ram_models.CreateAccessKeyRequest(user_name="dave")).body.access_key
DAVE = (k.access_key_id, k.access_key_secret)
ram.update_access_key(ram_models.UpdateAccessKeyRequest(user_name="dave", user_access_key_id=DAVE[0], status="Inactive"))


@step("GetCallerIdentity through the STS SDK")
def _():
    me = Sts(config(*MAIN)).get_caller_identity().body
    assert me.identity_type == "Account" and me.arn == f"acs:ram::{me.account_id}:root", me.to_map()
    alice = Sts(config(*ALICE)).get_caller_identity().body
    assert alice.identity_type == "RAMUser", alice.to_map()
    assert alice.account_id == me.account_id
    assert alice.arn == f"acs:ram::{me.account_id}:user/alice"
    assert alice.user_id == alice.principal_id
    v1 = Sts(config(*ALICE, signature_algorithm="v2")).get_caller_identity().body
    assert v1.user_id == alice.user_id
    refused(
        lambda: Sts(config(*ALICE)).assume_role(sts_models.AssumeRoleRequest(
            role_arn=f"acs:ram::{me.account_id}:role/reader", role_session_name="nightly")),
        ClientException, "EntityNotExist.Role", 404,
    )
    refused(
        lambda: Sts(config(*MAIN)).assume_role(sts_models.AssumeRoleRequest(
            role_arn=f"acs:ram::{me.account_id}:role/reader", role_session_name="nightly")),
        ClientException, "NoPermission", 403,
    )


@step("a RAM role through the RAM SDK, AssumeRole through the STS SDK, its credential signing")
def _():
    me = Sts(config(*MAIN)).get_caller_identity().body
    trust = json.dumps({"Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow",
                                       "Principal": {"RAM": [f"acs:ram::{me.account_id}:user/alice"]}}],
                        "Version": "1"})
    role = ram.create_role(ram_models.CreateRoleRequest(
        role_name="reader", assume_role_policy_document=trust, max_session_duration=3600)).body.role
    assert role.arn == f"acs:ram::{me.account_id}:role/reader", role.to_map()
    ram.attach_policy_to_role(ram_models.AttachPolicyToRoleRequest(
        policy_type="System", policy_name="AliyunRAMReadOnlyAccess", role_name="reader"))
    assume = sts_models.AssumeRoleRequest(role_arn=role.arn, role_session_name="nightly",
                                          duration_seconds=900)
    # alice is trusted, but her own policies do not allow sts:AssumeRole yet.
    refused(lambda: Sts(config(*ALICE)).assume_role(assume), ClientException, "NoPermission", 403)
    ram.attach_policy_to_user(ram_models.AttachPolicyToUserRequest(
        policy_type="System", policy_name="AliyunSTSAssumeRoleAccess", user_name="alice"))
    answer = Sts(config(*ALICE)).assume_role(assume).body
    c = answer.credentials
    assert c.access_key_id.startswith("STS.") and c.security_token, answer.to_map()
    assert answer.assumed_role_user.arn == f"{role.arn}/nightly", answer.to_map()
    as_role = config(c.access_key_id, c.access_key_secret, security_token=c.security_token)
    who = Sts(as_role).get_caller_identity().body
    assert who.identity_type == "AssumedRoleUser", who.to_map()
    assert who.arn == f"acs:ram::{me.account_id}:assumed-role/reader/nightly", who.to_map()
    # The role reads RAM (AliyunRAMReadOnlyAccess) and may change nothing.
    Ram(as_role).list_users(ram_models.ListUsersRequest())
    refused(lambda: Ram(as_role).create_user(ram_models.CreateUserRequest(user_name="mallory")),
            ClientException, "NoPermission", 403)
    # Without its token, or with another, the credential does not sign.
    refused(lambda: Sts(config(c.access_key_id, c.access_key_secret)).get_caller_identity(),
            ClientException, "MissingSecurityToken", 400)
    refused(lambda: Sts(config(c.access_key_id, c.access_key_secret,
                               security_token="CAISnotthetoken")).get_caller_identity(),
            ClientException, "InvalidSecurityToken.MismatchWithAccessKey", 400)
    # Deleting the role (policies first) ends its credentials at once.
    ram.detach_policy_from_role(ram_models.DetachPolicyFromRoleRequest(
        policy_type="System", policy_name="AliyunRAMReadOnlyAccess", role_name="reader"))
    ram.delete_role(ram_models.DeleteRoleRequest(role_name="reader"))
    refused(lambda: Sts(as_role).get_caller_identity(), ClientException,
            "InvalidAccessKeyId.NotFound", 404)
    ram.detach_policy_from_user(ram_models.DetachPolicyFromUserRequest(
        policy_type="System", policy_name="AliyunSTSAssumeRoleAccess", user_name="alice"))


@step("DataWorks CreateProject, CreateProjectMember, ListProjectMembers; IMS GetDefaultDomain")
def _():
    dw = DataWorks(config(*MAIN))
    project = dw.create_project(dw_models.CreateProjectRequest(
        project_name="ws_sdk", project_identifier="ws_sdk", project_description="from the SDK"))
    workspace = project.body.data
    alice_id = ram.get_user(ram_models.GetUserRequest(user_name="alice")).body.user.user_id
    dw.create_project_member(dw_models.CreateProjectMemberRequest(
        project_id=workspace, user_id=alice_id, role_code="role_project_dev", client_token="t-1"))
    listed = dw.list_project_members(dw_models.ListProjectMembersRequest(project_id=workspace)).body.data
    members = {m.project_member_id: [r.project_role_code for r in m.project_role_list]
               for m in listed.project_member_list}
    assert members.get(alice_id) == ["role_project_dev"], listed.to_map()
    refused(
        lambda: dw.list_project_members(dw_models.ListProjectMembersRequest(project_id=999)),
        ClientException, "Invalid.Tenant.ProjectNotExists", 400,
    )
    # The member is in the MaxCompute project too.
    record = odpsh("use ws_sdk; list users;")
    assert record["ok"] and "RAM$MainCount:alice" in record["result"], record
    domain = Ims(config(*MAIN)).get_default_domain().body.default_domain_name
    me = Sts(config(*MAIN)).get_caller_identity().body
    assert domain == f"{me.account_id}.onaliyun.com", domain


@step("wrong secret, disabled key and no RAM permission raise the SDKs' exceptions")
def _():
    list_users = ram_models.ListUsersRequest()
    for extra in ({}, {"signature_algorithm": "v2"}):
        e = refused(lambda: Ram(config(MAIN[0], "not the secret", **extra)).list_users(list_users),
                    ClientException, "SignatureDoesNotMatch", 400)
        assert "server string to sign is:" in e.message, e.message
        refused(lambda: Ram(config(DAVE[0], DAVE[1], **extra)).list_users(list_users),
                ClientException, "InvalidAccessKeyId.Inactive", 400)
        refused(lambda: Ram(config("LTAInotakey0000000000000", "x", **extra)).list_users(list_users),
                ClientException, "InvalidAccessKeyId.NotFound", 404)
        refused(lambda: Ram(config(*ALICE, **extra)).list_users(list_users),
                ClientException, "NoPermission", 403)

    def core_list(ak, sk):
        return AcsClient(ak, sk, "cn-hangzhou").do_action_with_exception(
            core_request(ListUsersRequest.ListUsersRequest()))

    # The server's string to sign is the SDK's own: the SDK tells the secret is wrong.
    refused(lambda: core_list(MAIN[0], "not the secret"), ServerException, "InvalidAccessKeySecret", 400)
    refused(lambda: core_list(*DAVE), ServerException, "InvalidAccessKeyId.Inactive", 400)
    refused(lambda: core_list(*ALICE), ServerException, "NoPermission", 403)


@step("a stale timestamp raises InvalidTimeStamp.Expired in each SDK")
def _():
    stale = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 20 * 60))
    tea_timestamp, core_date = Utils.get_timestamp, parameter_helper.get_iso_8061_date
    Utils.get_timestamp = staticmethod(lambda: stale)
    parameter_helper.get_iso_8061_date = lambda: stale
    try:
        for client in (ram, ram_v1):
            refused(lambda: client.list_users(ram_models.ListUsersRequest()),
                    ClientException, "InvalidTimeStamp.Expired", 400)
        refused(lambda: core.do_action_with_exception(core_request(ListUsersRequest.ListUsersRequest())),
                ServerException, "InvalidTimeStamp.Expired", 400)
    finally:
        Utils.get_timestamp, parameter_helper.get_iso_8061_date = tea_timestamp, core_date
    ram.list_users(ram_models.ListUsersRequest())


@step("a reused nonce raises SignatureNonceUsed, in the SDKs and sent twice over raw HTTP")
def _():
    tea_nonce, core_uuid = Utils.get_nonce, parameter_helper.get_uuid
    for n, client in enumerate((ram, ram_v1)):
        Utils.get_nonce = staticmethod(lambda n=n: f"fixed-tea-nonce-{n}")
        try:
            client.list_users(ram_models.ListUsersRequest())
            refused(lambda: client.list_users(ram_models.ListUsersRequest()),
                    ClientException, "SignatureNonceUsed", 400)
        finally:
            Utils.get_nonce = tea_nonce
    parameter_helper.get_uuid = lambda: "fixed-core-nonce"
    try:
        core.do_action_with_exception(core_request(ListUsersRequest.ListUsersRequest()))
        refused(lambda: core.do_action_with_exception(core_request(ListUsersRequest.ListUsersRequest())),
                ServerException, "SignatureNonceUsed", 400)
    finally:
        parameter_helper.get_uuid = core_uuid
    # A URL signed by the core SDK's own composer, sent twice.
    params = {"Action": "ListUsers", "Version": "2015-05-01"}
    url, _ = rpc_signature_composer.get_signed_url(params, MAIN[0], MAIN[1], "JSON", "GET", {})
    answers = []
    for _ in range(2):
        try:
            with urllib.request.urlopen(f"http://{ADDRESS}{url}") as r:
                answers.append((r.status, json.loads(r.read())))
        except urllib.error.HTTPError as e:
            answers.append((e.code, json.loads(e.read())))
    assert answers[0][0] == 200 and "Users" in answers[0][1], answers
    assert answers[1][0] == 400 and answers[1][1]["Code"] == "SignatureNonceUsed", answers
    assert set(answers[1][1]) == {"RequestId", "Message", "HostId", "Code", "Recommend"}


finish()
