"""RAM as organisations use it, and DataWorks' members and roles, through the real SDKs against
`odpsh serve`: run by tests/openapi_sdk.rs with the SDKs from PyPI (pinned there). Groups and
their policies, virtual MFA devices, custom policy documents and their versions (evaluated: what a
RAM user may call changes with them), paging with Marker, the password policy and the security
preference, GetUser's fields and a key's last use; DataWorks' ListProjectMembers fields,
AddProjectMemberToRole, RemoveProjectMemberFromRole and ListProjectRoles. Each step asserts what
a user of the SDK sees: the models' fields and the exceptions' codes and statuses.

Usage: iam.py ADDRESS STATE ODPSH
"""

import base64
import json

from alibabacloud_dataworks_public20200518 import models as dw_models
from alibabacloud_dataworks_public20200518.client import Client as DataWorks
from alibabacloud_ram20150501 import models as ram_models
from alibabacloud_ram20150501.client import Client as Ram
from alibabacloud_sts20150401.client import Client as Sts
from alibabacloud_tea_openapi.exceptions import ClientException

from harness import config, finish, main_key, odpsh, step

MAIN = main_key()
ram = Ram(config(*MAIN))
ram_v1 = Ram(config(*MAIN, signature_algorithm="v2"))
dataworks = DataWorks(config(*MAIN))


def refused(call, code, status):
    """Runs `call`, which must raise the Tea SDK's ClientException with this code and status."""
    try:
        call()
    except ClientException as e:
        assert (e.code, e.status_code) == (code, status), (e.code, e.status_code, e.message)
        return e
    raise AssertionError(f"expected {code}")


def user_with_key(name):
    """A RAM user made through the SDK, with an AccessKey and no policy; its key and UserId."""
    created = ram.create_user(ram_models.CreateUserRequest(user_name=name)).body.user
    key = ram.create_access_key(ram_models.CreateAccessKeyRequest(user_name=name)).body.access_key
    return (key.access_key_id, key.access_key_secret), created.user_id


ALICE, ALICE_ID = user_with_key("alice")
BOB, BOB_ID = user_with_key("bob")
list_users = ram_models.ListUsersRequest()


@step("groups: a member holds its group's policies; DeleteGroup and DeleteUser refuse while it is one")
def _():
    for client, group in ((ram, "readers"), (ram_v1, "writers")):
        made = client.create_group(ram_models.CreateGroupRequest(group_name=group, comments="from the SDK"))
        assert made.body.group.group_name == group and made.body.group.comments == "from the SDK"
        assert made.body.group.group_id.startswith("g-"), made.body.to_map()
    refused(lambda: ram.create_group(ram_models.CreateGroupRequest(group_name="READERS")),
            "EntityAlreadyExists.Group", 409)
    got = ram.get_group(ram_models.GetGroupRequest(group_name="readers")).body.group
    assert got.group_name == "readers" and got.create_date.endswith("Z"), got.to_map()
    page = ram.list_groups(ram_models.ListGroupsRequest(max_items=1)).body
    assert page.is_truncated is True and [g.group_name for g in page.groups.group] == ["readers"]
    rest = ram.list_groups(ram_models.ListGroupsRequest(max_items=1, marker=page.marker)).body
    assert rest.is_truncated is False and [g.group_name for g in rest.groups.group] == ["writers"]
    ram.update_group(ram_models.UpdateGroupRequest(group_name="writers", new_group_name="editors"))
    ram.add_user_to_group(ram_models.AddUserToGroupRequest(user_name="alice", group_name="readers"))
    ram_v1.add_user_to_group(ram_models.AddUserToGroupRequest(user_name="alice", group_name="editors"))
    mine = ram.list_groups_for_user(ram_models.ListGroupsForUserRequest(user_name="alice")).body
    assert sorted(g.group_name for g in mine.groups.group) == ["editors", "readers"], mine.to_map()
    members = ram.list_users_for_group(ram_models.ListUsersForGroupRequest(group_name="readers")).body
    assert [u.user_name for u in members.users.user] == ["alice"], members.to_map()
    # Alice may not list users, until her group may.
    refused(lambda: Ram(config(*ALICE)).list_users(list_users), "NoPermission", 403)
    ram.attach_policy_to_group(ram_models.AttachPolicyToGroupRequest(
        policy_type="System", policy_name="AliyunRAMReadOnlyAccess", group_name="readers"))
    held = ram.list_policies_for_group(ram_models.ListPoliciesForGroupRequest(group_name="readers")).body
    assert [p.policy_name for p in held.policies.policy] == ["AliyunRAMReadOnlyAccess"], held.to_map()
    names = [u.user_name for u in Ram(config(*ALICE)).list_users(list_users).body.users.user]
    assert "alice" in names and "bob" in names, names
    refused(lambda: ram.delete_group(ram_models.DeleteGroupRequest(group_name="readers")),
            "DeleteConflict.Group.User", 409)
    refused(lambda: ram.delete_user(ram_models.DeleteUserRequest(user_name="alice")),
            "DeleteConflict.User.Group", 409)
    ram.remove_user_from_group(ram_models.RemoveUserFromGroupRequest(user_name="alice", group_name="readers"))
    refused(lambda: ram.delete_group(ram_models.DeleteGroupRequest(group_name="readers")),
            "DeleteConflict.Group.Policy", 409)
    ram.detach_policy_from_group(ram_models.DetachPolicyFromGroupRequest(
        policy_type="System", policy_name="AliyunRAMReadOnlyAccess", group_name="readers"))
    ram.delete_group(ram_models.DeleteGroupRequest(group_name="readers"))
    refused(lambda: Ram(config(*ALICE)).list_users(list_users), "NoPermission", 403)
    ram.remove_user_from_group(ram_models.RemoveUserFromGroupRequest(user_name="alice", group_name="editors"))
    ram.delete_group(ram_models.DeleteGroupRequest(group_name="editors"))
    assert ram.list_groups(ram_models.ListGroupsRequest()).body.groups.group == []


@step("virtual MFA devices: the seed as text and as a QR code PNG, bound, unbound, deleted")
def _():
    ram.create_user(ram_models.CreateUserRequest(user_name="carol"))
    device = ram.create_virtual_mfadevice(
        ram_models.CreateVirtualMFADeviceRequest(virtual_mfadevice_name="carol-phone")).body.virtual_mfadevice
    me = Sts(config(*MAIN)).get_caller_identity().body
    assert device.serial_number == f"acs:ram::{me.account_id}:mfa/carol-phone", device.to_map()
    assert len(device.base_32string_seed) == 32, device.to_map()
    png = base64.b64decode(device.qrcode_png)
    assert png.startswith(b"\x89PNG\r\n\x1a\n"), png[:16]
    # IHDR: a square image, 1-bit grayscale.
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width == height and width >= 100 and png[24:26] == b"\x01\x00", (width, height, png[24:26])
    bind = ram_models.BindMFADeviceRequest(serial_number=device.serial_number, user_name="carol",
                                           authentication_code_1="123456", authentication_code_2="654321")
    ram.bind_mfadevice(bind)
    info = ram.get_user_mfainfo(ram_models.GetUserMFAInfoRequest(user_name="carol")).body.mfadevice
    assert info.serial_number == device.serial_number, info.to_map()
    listed = ram.list_virtual_mfadevices().body
    [entry] = listed.virtual_mfadevices.virtual_mfadevice
    assert entry.serial_number == device.serial_number and entry.user.user_name == "carol", listed.to_map()
    assert entry.activate_date, listed.to_map()
    delete_device = ram_models.DeleteVirtualMFADeviceRequest(serial_number=device.serial_number)
    refused(lambda: ram.delete_virtual_mfadevice(delete_device), "DeleteConflict.VirtualMFADevice.User", 409)
    refused(lambda: ram.delete_user(ram_models.DeleteUserRequest(user_name="carol")),
            "DeleteConflict.User.MFADevice", 409)
    ram.unbind_mfadevice(ram_models.UnbindMFADeviceRequest(user_name="carol"))
    ram.delete_virtual_mfadevice(delete_device)
    ram.delete_user(ram_models.DeleteUserRequest(user_name="carol"))


@step("custom policy documents and versions decide what a RAM user may call")
def _():
    allow = json.dumps({"Version": "1", "Statement": [
        {"Effect": "Allow", "Action": "ram:ListUsers", "Resource": "*"}]})
    deny = json.dumps({"Version": "1", "Statement": [
        {"Effect": "Deny", "Action": "ram:List*", "Resource": "*"}]})
    refused(lambda: ram.create_policy(ram_models.CreatePolicyRequest(
        policy_name="typo", policy_document=allow.replace("Allow", "Allw"))),
        "MalformedPolicyDocument.Effect", 400)
    made = ram.create_policy(ram_models.CreatePolicyRequest(
        policy_name="list-users", policy_document=allow, description="who may list users")).body.policy
    assert (made.policy_type, made.default_version) == ("Custom", "v1"), made.to_map()
    ram.attach_policy_to_user(ram_models.AttachPolicyToUserRequest(
        policy_type="Custom", policy_name="list-users", user_name="bob"))
    bob = Ram(config(*BOB))
    assert any(u.user_name == "bob" for u in bob.list_users(list_users).body.users.user)
    # A second version, made the default: an explicit Deny.
    v2 = ram.create_policy_version(ram_models.CreatePolicyVersionRequest(
        policy_name="list-users", policy_document=deny, set_as_default=True)).body.policy_version
    assert (v2.version_id, v2.is_default_version) == ("v2", True), v2.to_map()
    refused(lambda: bob.list_users(list_users), "NoPermission", 403)
    versions = ram.list_policy_versions(ram_models.ListPolicyVersionsRequest(
        policy_type="Custom", policy_name="list-users")).body.policy_versions.policy_version
    assert [(v.version_id, v.is_default_version) for v in versions] == [("v1", False), ("v2", True)]
    v1 = ram.get_policy_version(ram_models.GetPolicyVersionRequest(
        policy_type="Custom", policy_name="list-users", version_id="v1")).body.policy_version
    assert json.loads(v1.policy_document) == json.loads(allow), v1.to_map()
    ram.set_default_policy_version(ram_models.SetDefaultPolicyVersionRequest(policy_name="list-users", version_id="v1"))
    assert bob.list_users(list_users).status_code == 200
    got = ram.get_policy(ram_models.GetPolicyRequest(policy_type="Custom", policy_name="list-users")).body
    assert got.policy.default_version == "v1" and got.policy.description == "who may list users", got.to_map()
    refused(lambda: ram.delete_policy_version(ram_models.DeletePolicyVersionRequest(
        policy_name="list-users", version_id="v1")), "DeleteConflict.Policy.DefaultVersion", 409)
    ram.delete_policy_version(ram_models.DeletePolicyVersionRequest(policy_name="list-users", version_id="v2"))
    refused(lambda: ram.delete_policy(ram_models.DeletePolicyRequest(policy_name="list-users")),
            "DeleteConflict.Policy.User", 409)
    ram.detach_policy_from_user(ram_models.DetachPolicyFromUserRequest(
        policy_type="Custom", policy_name="list-users", user_name="bob"))
    ram.delete_policy(ram_models.DeletePolicyRequest(policy_name="list-users"))
    refused(lambda: bob.list_users(list_users), "NoPermission", 403)


@step("paging: ListUsers and ListPolicies follow Marker until IsTruncated is false")
def _():
    for n in range(5):
        ram.create_user(ram_models.CreateUserRequest(user_name=f"page{n}"))
    # Every user, in the order the shell lists them (creation order).
    everyone = [u["UserName"] for u in odpsh("aliyun ram ListUsers")["result"]["Users"]["User"]]
    assert everyone[-5:] == [f"page{n}" for n in range(5)], everyone
    for client in (ram, ram_v1):
        seen, marker, pages = [], None, 0
        while True:
            body = client.list_users(ram_models.ListUsersRequest(max_items=2, marker=marker)).body
            pages += 1
            seen += [u.user_name for u in body.users.user]
            assert len(body.users.user) <= 2
            if not body.is_truncated:
                assert body.marker is None, body.to_map()
                break
            marker = body.marker
        assert seen == everyone, seen
        assert pages == (len(everyone) + 1) // 2, pages
    system = ram.list_policies(ram_models.ListPoliciesRequest(policy_type="System", max_items=3)).body
    assert system.is_truncated is True and len(system.policies.policy) == 3, system.to_map()
    more = ram.list_policies(ram_models.ListPoliciesRequest(policy_type="System", marker=system.marker)).body
    names = [p.policy_name for p in system.policies.policy + more.policies.policy]
    assert "AdministratorAccess" in names and len(names) == len(set(names)), names
    refused(lambda: ram.list_users(ram_models.ListUsersRequest(max_items=1001)), "InvalidParameter.MaxItems", 400)
    refused(lambda: ram.list_users(ram_models.ListUsersRequest(marker="nonsense")), "InvalidParameter.Marker", 400)


@step("the password policy checks new passwords; the security preference lets users manage keys")
def _():
    policy = ram.get_password_policy().body.password_policy
    assert (policy.minimum_password_length, policy.require_numbers, policy.require_symbols) == (8, True, False)
    changed = ram.set_password_policy(ram_models.SetPasswordPolicyRequest(
        minimum_password_length=12, require_symbols=True)).body.password_policy
    assert (changed.minimum_password_length, changed.require_symbols, changed.require_numbers) == (12, True, True)
    refused(lambda: ram.set_password_policy(ram_models.SetPasswordPolicyRequest(minimum_password_length=6)),
            "InvalidParameter.PasswordPolicy", 400)
    refused(lambda: ram.create_login_profile(ram_models.CreateLoginProfileRequest(
        user_name="bob", password="Passw0rd12"), ), "InvalidParameter.Password.TooWeak", 400)
    made = ram.create_login_profile(ram_models.CreateLoginProfileRequest(
        user_name="bob", password="Passw0rd!2345", mfabind_required=True)).body.login_profile
    assert (made.user_name, made.mfabind_required) == ("bob", True), made.to_map()
    updated = ram.update_login_profile(ram_models.UpdateLoginProfileRequest(
        user_name="bob", password_reset_required=True))
    assert updated.status_code == 200
    assert ram.get_login_profile(ram_models.GetLoginProfileRequest(
        user_name="bob")).body.login_profile.password_reset_required is True
    ram.delete_login_profile(ram_models.DeleteLoginProfileRequest(user_name="bob"))
    ram.set_password_policy(ram_models.SetPasswordPolicyRequest(minimum_password_length=8, require_symbols=False))

    before = ram.get_security_preference().body.security_preference
    assert before.access_key_preference.allow_user_to_manage_access_keys is False, before.to_map()
    assert before.login_profile_preference.login_session_duration == 6, before.to_map()
    # Bob may not make his own second key, until the account lets users manage theirs.
    own_key = ram_models.CreateAccessKeyRequest()
    refused(lambda: Ram(config(*BOB)).create_access_key(own_key), "NoPermission", 403)
    after = ram.set_security_preference(ram_models.SetSecurityPreferenceRequest(
        allow_user_to_manage_access_keys=True, login_session_duration=12,
        login_network_masks="10.0.0.0/8;192.168.0.0/16")).body.security_preference
    assert after.access_key_preference.allow_user_to_manage_access_keys is True, after.to_map()
    assert after.login_profile_preference.login_session_duration == 12, after.to_map()
    assert after.login_profile_preference.login_network_masks == "10.0.0.0/8;192.168.0.0/16"
    assert after.mfapreference.allow_user_to_manage_mfadevices is True, after.to_map()
    second = Ram(config(*BOB)).create_access_key(own_key).body.access_key
    assert second.status == "Active", second.to_map()
    refused(lambda: ram.set_security_preference(ram_models.SetSecurityPreferenceRequest(login_session_duration=48)),
            "InvalidParameter.LoginSessionDuration", 400)
    ram.set_security_preference(ram_models.SetSecurityPreferenceRequest(
        allow_user_to_manage_access_keys=False, login_session_duration=6, login_network_masks=""))
    ram.delete_access_key(ram_models.DeleteAccessKeyRequest(user_name="bob", user_access_key_id=second.access_key_id))


@step("GetUser's fields and GetAccessKeyLastUsed: a key used through the server has a last use")
def _():
    ram.update_user(ram_models.UpdateUserRequest(
        user_name="alice", new_email="alice@example.com", new_mobile_phone="86-18600008888",
        new_comments="data team"))
    user = ram.get_user(ram_models.GetUserRequest(user_name="alice")).body.user
    assert (user.email, user.mobile_phone, user.comments) == ("alice@example.com", "86-18600008888", "data team")
    assert user.user_id == ALICE_ID and user.update_date.endswith("Z"), user.to_map()
    # odpsh has no console log-on: no LastLoginDate.
    assert user.last_login_date is None, user.to_map()
    used = ram.get_access_key_last_used(ram_models.GetAccessKeyLastUsedRequest(
        user_name="alice", user_access_key_id=ALICE[0])).body.access_key_last_used
    assert used.last_used_date and used.last_used_date.endswith("Z"), used.to_map()
    # The shell on the same file answers the same.
    shell = odpsh(f"aliyun ram GetAccessKeyLastUsed --UserName alice --UserAccessKeyId {ALICE[0]}")
    assert shell["result"]["AccessKeyLastUsed"]["LastUsedDate"] == used.last_used_date, shell
    key = ram.create_access_key(ram_models.CreateAccessKeyRequest(user_name="bob")).body.access_key
    unused = ram.get_access_key_last_used(ram_models.GetAccessKeyLastUsedRequest(
        user_name="bob", user_access_key_id=key.access_key_id)).body.access_key_last_used
    assert unused.last_used_date is None, unused.to_map()
    ram.delete_access_key(ram_models.DeleteAccessKeyRequest(user_name="bob", user_access_key_id=key.access_key_id))


@step("DataWorks: the owner listed first, a member without a role, roles added and removed, the role list")
def _():
    workspace = dataworks.create_project(dw_models.CreateProjectRequest(
        project_name="ws_roles", project_identifier="ws_roles")).body.data
    dataworks.create_project_member(dw_models.CreateProjectMemberRequest(
        project_id=workspace, user_id=BOB_ID, client_token="t-2"))

    def listed():
        return dataworks.list_project_members(dw_models.ListProjectMembersRequest(project_id=workspace)).body.data

    data = listed()
    assert (data.total_count, data.page_number, data.page_size) == (2, 1, 10), data.to_map()
    owner, bob = data.project_member_list
    me = Sts(config(*MAIN)).get_caller_identity().body
    assert (owner.project_member_id, owner.project_member_type, owner.status) == (me.account_id, "1", "0")
    assert [(r.project_role_code, r.project_role_name) for r in owner.project_role_list] == [
        ("role_project_owner", "Workspace Owner")], owner.to_map()
    assert (bob.project_member_id, bob.nick, bob.project_member_name, bob.project_member_type) == (
        BOB_ID, "bob", "RAM$MainCount:bob", "5"), bob.to_map()
    assert bob.project_role_list == [], bob.to_map()
    # Without a role, bob is not in the MaxCompute project; his first role brings him there.
    assert "RAM$MainCount:bob" not in odpsh("use ws_roles; list users;")["result"]
    for code in ("role_project_guest", "role_project_erd"):
        dataworks.add_project_member_to_role(dw_models.AddProjectMemberToRoleRequest(
            project_id=workspace, user_id=BOB_ID, role_code=code, client_token=f"t-{code}"))
    bob = listed().project_member_list[1]
    assert [(r.project_role_code, r.project_role_id, r.project_role_type) for r in bob.project_role_list] == [
        ("role_project_guest", 6, "0"), ("role_project_erd", 9, "0")], bob.to_map()
    assert "RAM$MainCount:bob" in odpsh("use ws_roles; list users;")["result"]
    dataworks.remove_project_member_from_role(dw_models.RemoveProjectMemberFromRoleRequest(
        project_id=workspace, user_id=BOB_ID, role_code="role_project_guest"))
    bob = listed().project_member_list[1]
    assert [r.project_role_code for r in bob.project_role_list] == ["role_project_erd"], bob.to_map()
    roles = dataworks.list_project_roles(dw_models.ListProjectRolesRequest(project_id=workspace)).body
    assert [r.project_role_code for r in roles.project_role_list] == [
        "role_project_owner", "role_project_admin", "role_project_dev", "role_project_pe",
        "role_project_deploy", "role_project_guest", "role_project_security", "role_project_tester",
        "role_project_erd"], roles.to_map()
    assert all(r.project_role_type == "0" for r in roles.project_role_list)
    refused(lambda: dataworks.add_project_member_to_role(dw_models.AddProjectMemberToRoleRequest(
        project_id=workspace, user_id=me.account_id, role_code="role_project_dev")),
        "Invalid.Tenant.ProjectOwner", 400)
    refused(lambda: dataworks.add_project_member_to_role(dw_models.AddProjectMemberToRoleRequest(
        project_id=workspace, user_id=BOB_ID, role_code="role_project_owner")),
        "Invalid.Tenant.RoleCode", 400)
    refused(lambda: dataworks.remove_project_member_from_role(dw_models.RemoveProjectMemberFromRoleRequest(
        project_id=workspace, user_id="1234", role_code="role_project_erd")),
        "Invalid.Tenant.UserNotInTenant", 403)
    refused(lambda: dataworks.add_project_member_to_role(dw_models.AddProjectMemberToRoleRequest(
        project_id=workspace, user_id=ALICE_ID, role_code="role_project_dev")),
        "Invalid.Tenant.UserNotInProject", 400)
    dataworks.delete_project_member(dw_models.DeleteProjectMemberRequest(project_id=workspace, user_id=BOB_ID))
    assert [m.project_member_type for m in listed().project_member_list] == ["1"]


finish()
