//! The tutorial in English.

use super::{LessonText, StepText, Texts};

pub const TEXTS: Texts = Texts {
    welcome: "odpsh tutorial: three short lessons that follow the seed documents, in a world of their own (your saved world is not touched). Each step asks for a statement; odpsh runs it and checks what it did to the world, not how you wrote it. explain; tells why a statement failed. Type quit; to leave.",
    lessons: [
        LessonText {
            title: "Lesson 1 of 3: preparing the Alibaba Cloud account (seed 000)",
            intro: "The main account MainCount owns the project MaxCompute. Before DataWorks can work for it, it needs an AccessKey; the people who work in the project get RAM users of their own.",
        },
        LessonText {
            title: "Lesson 2 of 3: a RAM user's AccessKey, policy and hand-over (seed 002)",
            intro: "A RAM user calls APIs with an AccessKey (at most two per user), may do only what its policies allow, and is handed over with its log-on details. Real organisations grant policies through RAM groups and protect console users with MFA, so off-boarding must also take the user out of its groups (RemoveUserFromGroup) and unbind its MFA device (UnbindMFADevice) before DeleteUser, which refuses otherwise (DeleteConflict.User.Group, DeleteConflict.User.MFADevice).",
        },
        LessonText {
            title: "Lesson 3 of 3: the project, the residual user and the right order (seed 004)",
            intro: "In project MaxCompute a RAM user is a member holding roles. Seed 004 shows what happens when such a user is deleted in RAM first, and the order that prevents it.",
        },
    ],
    steps: [
        StepText {
            instruction: "Create an AccessKey for the main account (seed 000, step 3). Console commands take the form aliyun ram <Action> --Parameter value.",
            hint: "aliyun ram CreateAccessKey (without --UserName it is the caller's own key)",
            done: "The main account has an active AccessKey: DataWorks and the owner's project settings need it (the matrix's 主账号AK开启).",
        },
        StepText {
            instruction: "Create a RAM user named hanmeimei for the colleague who will work in the project (seed 000: 开通子账号).",
            hint: "aliyun ram CreateUser --UserName hanmeimei",
            done: "hanmeimei is a RAM user of MainCount: it owns nothing, and what it uses is billed to MainCount.",
        },
        StepText {
            instruction: "Let hanmeimei log on to the console: give it a password, to be changed at its first log-on (the step checks that a reset is required).",
            hint: "aliyun ram CreateLoginProfile --UserName hanmeimei --Password 'S3cure!pw' --PasswordResetRequired true (8 to 32 characters with three of upper case, lower case, digits and symbols)",
            done: "hanmeimei can log on to the console.",
        },
        StepText {
            instruction: "Create an AccessKey for hanmeimei, so that it can call APIs and run jobs (seed 002, step 2).",
            hint: "aliyun ram CreateAccessKey --UserName hanmeimei",
            done: "Its secret is shown only now, once: in real life it goes to hanmeimei and nowhere else.",
        },
        StepText {
            instruction: "hanmeimei will create DataWorks projects. Attach the policy seed 002 names for that, and nothing high-risk (seed 002, step 3).",
            hint: "aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunDataWorksFullAccess --UserName hanmeimei. AdministratorAccess and AliyunRAMFullAccess are high-risk and do not count: detach one with aliyun ram DetachPolicyFromUser --PolicyType System --PolicyName AdministratorAccess --UserName hanmeimei",
            done: "hanmeimei holds AliyunDataWorksFullAccess and no high-risk policy.",
        },
        StepText {
            instruction: "Print what to hand over to hanmeimei: its log-on name, the log-on URL and the default domain (seed 002, step 4). The console's page for that is odpsh's aliyun console HandOver.",
            hint: "aliyun console HandOver --UserName hanmeimei",
            done: "That is what hanmeimei needs to log on; a secret is never part of it.",
        },
        StepText {
            instruction: "Make hanmeimei a member of project MaxCompute.",
            hint: "add user RAM$MainCount:hanmeimei;",
            done: "hanmeimei is a member of MaxCompute.",
        },
        StepText {
            instruction: "Grant hanmeimei the developer role, role_project_dev.",
            hint: "grant role_project_dev to RAM$MainCount:hanmeimei;",
            done: "hanmeimei may now create tables, resources and functions (who may create a table; shows who may).",
        },
        StepText {
            instruction: "The developer role lets hanmeimei drop any table; tb_sales must stay. Layer a deny on the role, as the documentation does: create a role delete_test, deny it Drop on the tables tb_* by policy, and grant it to hanmeimei. A deny beats every allow.",
            hint: "create role delete_test;, then grant Drop on table tb_* to role delete_test privilegeproperties(\"policy\"=\"true\", \"allow\"=\"false\");, then grant delete_test to RAM$hanmeimei;",
            done: "hanmeimei may still drop sales, but dropping tb_sales fails with Authorization Failed [4011] … Explicitly denied by policy (who may drop tables; shows it, show grants for RAM$hanmeimei; lists the D line).",
        },
        StepText {
            instruction: "Now make seed 004's mistake on purpose: delete hanmeimei in RAM while it is still a member of the project.",
            hint: "The RAM API refuses a user that still has an AccessKey, console access or a policy. The console's Delete button strips them and deletes anyway: aliyun console DeleteUser --UserName hanmeimei",
            done: "hanmeimei is gone from RAM, but not from the project.",
        },
        StepText {
            instruction: "List the project's users and look for hanmeimei.",
            hint: "list users;",
            done: "It shows as {residual}: the project keeps its members by id, and no RAM user is behind this one any more.",
        },
        StepText {
            instruction: "Try to remove it from the project by the name the list shows.",
            hint: "remove user {residual};",
            done: "FAILED: lack of account provider, as in seed 004: a p4_ name has no account provider, so no statement can name it.",
        },
        StepText {
            instruction: "Ask odpsh why that failed.",
            hint: "explain;",
            done: "That residual stays. The rest of the lesson does it right with a second user, lilei.",
        },
        StepText {
            instruction: "lilei is a RAM user with an AccessKey, a member of MaxCompute holding role_project_dev. Off-board it in the right order. First: revoke its roles.",
            hint: "revoke role_project_dev from RAM$MainCount:lilei;",
            done: "lilei holds no role any more.",
        },
        StepText {
            instruction: "Second: remove lilei from the project.",
            hint: "remove user RAM$MainCount:lilei;",
            done: "lilei is no longer a member of any project.",
        },
        StepText {
            instruction: "Third, in RAM: disable and delete its AccessKey {key}.",
            hint: "aliyun ram UpdateAccessKey --UserName lilei --UserAccessKeyId {key} --Status Inactive, then aliyun ram DeleteAccessKey --UserName lilei --UserAccessKeyId {key}",
            done: "lilei has no AccessKey left.",
        },
        StepText {
            instruction: "Last: delete the RAM user lilei.",
            hint: "aliyun ram DeleteUser --UserName lilei",
            done: "lilei is gone everywhere: no project lists it, no p4_ residue is left, and RAM has no such user.",
        },
    ],
    setup: "odpsh prepares the next step:",
    skipped: "odpsh does steps 1 to {n} for you (odpsh tutorial --step resumes there):",
    step_heading: "Step {n} of {total}: ",
    well_done: "Well done: ",
    not_yet: "Not yet. Hint: ",
    hint_repeated: "you ran what this step asks, and it did not do it: explain; says why.",
    then: ", then ",
    hint_then: "that part is done; now ",
    spoiled: "That deleted lilei while it was still a member: seed 004's mistake. The tutorial has put the world back as it was before that statement; take lilei out of the project first.",
    finished: "That is the order: revoke the roles (and any ACL grants), remove the user from every project, then delete the RAM user. In your own projects, offboard <user>; prints these statements for any user, and odpsh check FILE finds the mistake in a script before it runs.",
    stopped: "The tutorial stopped at step {n} of {total}. Run odpsh tutorial --step {n} to go on from there, or odpsh tutorial to start again.",
};
