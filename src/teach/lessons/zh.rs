//! 教程的中文文本。

use super::{LessonText, StepText, Texts};

pub const TEXTS: Texts = Texts {
    welcome: "odpsh 教程：按种子文档的顺序，分三课练习，在教程自己的世界里进行（不会改动您保存的世界）。每一步请输入一条语句；odpsh 会执行它，并检查它对世界造成的结果，而不是比对您的写法。语句失败时，输入 explain; 可以查看原因。输入 quit; 退出。",
    lessons: [
        LessonText {
            title: "第 1 课（共 3 课）：准备阿里云账号（种子 000）",
            intro: "主账号 MainCount 是项目 MaxCompute 的所有者。要让 DataWorks 为它工作，主账号需要一个 AccessKey；在项目中工作的同事则各自使用 RAM 子账号。",
        },
        LessonText {
            title: "第 2 课（共 3 课）：RAM 用户的 AccessKey、权限策略与交付（种子 002）",
            intro: "RAM 用户通过 AccessKey 调用 API（每个用户最多两个），只能做其权限策略允许的事，并通过登录信息交付给使用者。真实的组织通过 RAM 用户组授予权限策略，并用 MFA 保护控制台用户；因此离职处理还必须先把用户移出其所在的用户组（RemoveUserFromGroup）、解绑其 MFA 设备（UnbindMFADevice），再执行 DeleteUser，否则 DeleteUser 会拒绝（DeleteConflict.User.Group、DeleteConflict.User.MFADevice）。",
        },
        LessonText {
            title: "第 3 课（共 3 课）：项目、残留用户与正确的顺序（种子 004）",
            intro: "在项目 MaxCompute 中，RAM 用户是拥有角色的成员。种子 004 说明了先在 RAM 中删除这样的用户会发生什么，以及避免它的正确顺序。",
        },
    ],
    steps: [
        StepText {
            instruction: "为主账号创建一个 AccessKey（种子 000，第 3 步）。控制台命令的形式为 aliyun ram <Action> --Parameter value。",
            hint: "aliyun ram CreateAccessKey（不带 --UserName 时，为调用者自己创建）",
            done: "主账号现在有一个启用的 AccessKey：DataWorks 和所有者的项目设置都需要它（权限表中的「主账号AK开启」）。",
        },
        StepText {
            instruction: "为将在项目中工作的同事创建一个名为 hanmeimei 的 RAM 用户（种子 000：开通子账号）。",
            hint: "aliyun ram CreateUser --UserName hanmeimei",
            done: "hanmeimei 是 MainCount 的 RAM 用户：它不拥有任何资源，产生的费用计入 MainCount。",
        },
        StepText {
            instruction: "允许 hanmeimei 登录控制台：为它设置密码，并要求首次登录时修改（这一步会检查是否要求修改密码）。",
            hint: "aliyun ram CreateLoginProfile --UserName hanmeimei --Password 'S3cure!pw' --PasswordResetRequired true（8 到 32 个字符，包含大写字母、小写字母、数字和符号中的三种）",
            done: "hanmeimei 现在可以登录控制台。",
        },
        StepText {
            instruction: "为 hanmeimei 创建一个 AccessKey，使它可以调用 API、运行作业（种子 002，第 2 步）。",
            hint: "aliyun ram CreateAccessKey --UserName hanmeimei",
            done: "密钥只在此刻显示一次：实际工作中它只交给 hanmeimei 本人。",
        },
        StepText {
            instruction: "hanmeimei 将要创建 DataWorks 项目。请授予种子 002 为此指定的权限策略，且不要授予高风险策略（种子 002，第 3 步）。",
            hint: "aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunDataWorksFullAccess --UserName hanmeimei。AdministratorAccess 和 AliyunRAMFullAccess 是高风险策略，不算数：用 aliyun ram DetachPolicyFromUser --PolicyType System --PolicyName AdministratorAccess --UserName hanmeimei 解除",
            done: "hanmeimei 拥有 AliyunDataWorksFullAccess，且没有高风险策略。",
        },
        StepText {
            instruction: "打印交付给 hanmeimei 的信息：登录名、登录地址和默认域名（种子 002，第 4 步）。控制台的这个页面在 odpsh 中是 aliyun console HandOver。",
            hint: "aliyun console HandOver --UserName hanmeimei",
            done: "这就是 hanmeimei 登录所需的信息；密钥永远不在其中。",
        },
        StepText {
            instruction: "将 hanmeimei 添加为项目 MaxCompute 的成员。",
            hint: "add user RAM$MainCount:hanmeimei;",
            done: "hanmeimei 是 MaxCompute 的成员了。",
        },
        StepText {
            instruction: "授予 hanmeimei 开发角色 role_project_dev。",
            hint: "grant role_project_dev to RAM$MainCount:hanmeimei;",
            done: "hanmeimei 现在可以创建表、资源和函数（who may create a table; 可以查看谁有此权限）。",
        },
        StepText {
            instruction: "开发角色允许 hanmeimei 删除任何表，但 tb_sales 必须保留。按文档的做法在角色之上叠加一条拒绝：创建角色 delete_test，用 Policy 拒绝它对表 tb_* 的 Drop，并把它授予 hanmeimei。拒绝（Deny）优先于所有允许。",
            hint: "create role delete_test;，然后 grant Drop on table tb_* to role delete_test privilegeproperties(\"policy\"=\"true\", \"allow\"=\"false\");，然后 grant delete_test to RAM$hanmeimei;",
            done: "hanmeimei 仍可删除 sales，但删除 tb_sales 会失败：Authorization Failed [4011] … Explicitly denied by policy（who may drop tables; 可查看，show grants for RAM$hanmeimei; 会列出 D 行）。",
        },
        StepText {
            instruction: "现在故意重现种子 004 中的错误：在 hanmeimei 仍是项目成员时，在 RAM 中删除它。",
            hint: "RAM API 拒绝删除仍有 AccessKey、控制台登录或权限策略的用户。控制台的删除按钮会先清除这些再删除：aliyun console DeleteUser --UserName hanmeimei",
            done: "hanmeimei 已从 RAM 中删除，但仍留在项目中。",
        },
        StepText {
            instruction: "列出项目的用户，找一找 hanmeimei。",
            hint: "list users;",
            done: "它显示为 {residual}：项目按 ID 保存成员，而这个 ID 背后已经没有 RAM 用户了。",
        },
        StepText {
            instruction: "试着用列表中显示的名称把它从项目中移除。",
            hint: "remove user {residual};",
            done: "FAILED: lack of account provider，与种子 004 一致：p4_ 名称没有账号体系（account provider），任何语句都无法指定它。",
        },
        StepText {
            instruction: "让 odpsh 解释失败的原因。",
            hint: "explain;",
            done: "这个残留用户会一直留在项目中。本课剩下的部分用第二个用户 lilei 演示正确的做法。",
        },
        StepText {
            instruction: "lilei 是一个有 AccessKey 的 RAM 用户，也是 MaxCompute 的成员，拥有 role_project_dev。请按正确的顺序移除它。第一步：解除它的角色。",
            hint: "revoke role_project_dev from RAM$MainCount:lilei;",
            done: "lilei 不再拥有任何角色。",
        },
        StepText {
            instruction: "第二步：将 lilei 从项目中移除。",
            hint: "remove user RAM$MainCount:lilei;",
            done: "lilei 不再是任何项目的成员。",
        },
        StepText {
            instruction: "第三步，在 RAM 中：禁用并删除它的 AccessKey {key}。",
            hint: "aliyun ram UpdateAccessKey --UserName lilei --UserAccessKeyId {key} --Status Inactive，然后 aliyun ram DeleteAccessKey --UserName lilei --UserAccessKeyId {key}",
            done: "lilei 已没有 AccessKey。",
        },
        StepText {
            instruction: "最后：删除 RAM 用户 lilei。",
            hint: "aliyun ram DeleteUser --UserName lilei",
            done: "lilei 已被彻底移除：没有项目列出它，没有 p4_ 残留，RAM 中也没有这个用户。",
        },
    ],
    setup: "odpsh 为下一步做准备：",
    skipped: "odpsh 替您完成第 1 到 {n} 步（odpsh tutorial --step 从这里继续）：",
    step_heading: "第 {n} 步（共 {total} 步）：",
    well_done: "做得好：",
    not_yet: "还没有完成。提示：",
    hint_repeated: "您运行的正是这一步要求的语句，但它没有完成这一步：explain; 会说明原因。",
    then: "，然后 ",
    hint_then: "这一部分已完成；接下来 ",
    spoiled: "这条语句在 lilei 仍是成员时删除了它：这正是种子 004 中的错误。教程已把世界恢复到这条语句之前的状态；请先把 lilei 移出项目。",
    finished: "这就是正确的顺序：解除角色（以及 ACL 授权），从每个项目中移除用户，最后删除 RAM 用户。在您自己的项目中，offboard <user>; 会为任何用户打印这些语句，odpsh check FILE 会在脚本运行之前发现这个错误。",
    stopped: "教程停在第 {n} 步（共 {total} 步）。运行 odpsh tutorial --step {n} 可从这里继续，运行 odpsh tutorial 可以重新开始。",
};
