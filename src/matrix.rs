//! Seed 004's permission matrix: for each operation, whether the main account and a RAM user
//! may do it, with which role, from which client, and what must hold first. Data only; the
//! engine enforces the rows that govern a command it has.

mod words;

pub use words::words_match;

/// Where an operation is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Client {
    DataWorks,
    MaxComputeCli,
    DataWorksOrCli,
    PurchasePage,
    BillingCenter,
}

impl Client {
    pub fn zh(self) -> &'static str {
        match self {
            Client::DataWorks => "Dataworks",
            Client::MaxComputeCli => "MaxCompute CLI/Studio",
            Client::DataWorksOrCli => "Dataworks/MaxCompute CLI/Studio",
            Client::PurchasePage => "数加控制台/MaxCompute购买页",
            Client::BillingCenter => "阿里云费用中心",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Client::DataWorks => "DataWorks",
            Client::MaxComputeCli => "MaxCompute CLI or Studio",
            Client::DataWorksOrCli => "DataWorks, MaxCompute CLI or Studio",
            Client::PurchasePage => "DataPlus console or MaxCompute purchase page",
            Client::BillingCenter => "Alibaba Cloud Billing Center",
        }
    }
}

/// Who may do an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    /// 不支持: nobody of this kind.
    No,
    /// 支持, as the project owner (the main account's column).
    Owner,
    /// 支持, any member (ALL).
    AnyMember,
    /// 支持, members holding one of these DataWorks roles.
    Roles(&'static [&'static str]),
}

/// A prerequisite of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prerequisite {
    /// 不涉及
    None,
    /// 主账号AK开启: the main account has an enabled AccessKey.
    MainAccountKeyEnabled,
    /// 主账号指定授权: the owning main account granted it.
    GrantedByOwner,
    /// 工单申请开通: enabled for the project through a support ticket.
    EnabledByTicket,
}

impl Prerequisite {
    pub fn zh(self) -> &'static str {
        match self {
            Prerequisite::None => "不涉及",
            Prerequisite::MainAccountKeyEnabled => "主账号AK开启",
            Prerequisite::GrantedByOwner => "主账号指定授权",
            Prerequisite::EnabledByTicket => "工单申请开通",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Prerequisite::None => "none",
            Prerequisite::MainAccountKeyEnabled => "the main account has an enabled AccessKey",
            Prerequisite::GrantedByOwner => "granted by the owning main account",
            Prerequisite::EnabledByTicket => "enabled for the project by a support ticket",
        }
    }
}

/// One row of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatrixRow {
    pub number: u8,
    pub area_zh: &'static str,
    pub area_en: &'static str,
    pub operation_zh: &'static str,
    pub operation_en: &'static str,
    pub client: Client,
    pub main_account: Allowed,
    pub ram_user: Allowed,
    pub prerequisite: Prerequisite,
}

const ADMIN: &[&str] = &["role_project_admin"];
const ADMIN_DEV: &[&str] = &["role_project_admin", "role_project_dev"];
const ADMIN_DEV_PE_DEPLOY: &[&str] = &[
    "role_project_admin",
    "role_project_dev",
    "role_project_pe",
    "role_project_deploy",
];

#[allow(clippy::too_many_arguments)]
const fn row(
    number: u8,
    area: (&'static str, &'static str),
    operation: (&'static str, &'static str),
    client: Client,
    main_account: Allowed,
    ram_user: Allowed,
    prerequisite: Prerequisite,
) -> MatrixRow {
    MatrixRow {
        number,
        area_zh: area.0,
        area_en: area.1,
        operation_zh: operation.0,
        operation_en: operation.1,
        client,
        main_account,
        ram_user,
        prerequisite,
    }
}

use Allowed::{AnyMember, No, Owner, Roles};
use Client::{BillingCenter, DataWorks, DataWorksOrCli, MaxComputeCli, PurchasePage};
use Prerequisite::{
    EnabledByTicket, GrantedByOwner, MainAccountKeyEnabled, None as NoPrerequisite,
};

const PROJECT: (&str, &str) = ("Project管理", "Project management");
const INTEGRATION: (&str, &str) = ("数据集成", "Data integration");
const CU: (&str, &str) = ("CU管家", "CU manager");
const CODE: (&str, &str) = ("代码开发", "Code development");
const OPS: (&str, &str) = ("运维中心", "Operation center");
const DATA: (&str, &str) = ("数据管理", "Data management");
const RESOURCES: (&str, &str) = ("资源管理", "Resource management");
const WORKFLOWS: (&str, &str) = ("工作流开发", "Workflow development");
const FUNCTIONS: (&str, &str) = ("函数开发", "Function development");
const SALES: (&str, &str) = ("售卖", "Billing and purchase");

/// Every row of seed 004's table, in its order.
pub const MATRIX: [MatrixRow; 36] = [
    row(
        1,
        PROJECT,
        ("Project-创建、删除", "Create or delete a project"),
        DataWorks,
        Owner,
        Roles(ADMIN),
        MainAccountKeyEnabled,
    ),
    row(
        2,
        PROJECT,
        ("Project-创建、删除", "Create or delete a project"),
        MaxComputeCli,
        No,
        No,
        NoPrerequisite,
    ),
    row(
        3,
        PROJECT,
        ("Project-跨Project访问", "Access another project"),
        DataWorksOrCli,
        Owner,
        AnyMember,
        GrantedByOwner,
    ),
    row(
        4,
        PROJECT,
        ("Project-更新", "Update a project"),
        DataWorksOrCli,
        No,
        No,
        NoPrerequisite,
    ),
    row(
        5,
        PROJECT,
        ("IP白名单设置", "Set the IP whitelist"),
        DataWorksOrCli,
        Owner,
        No,
        MainAccountKeyEnabled,
    ),
    row(
        6,
        PROJECT,
        ("全表扫描", "Allow full table scans"),
        DataWorksOrCli,
        Owner,
        No,
        MainAccountKeyEnabled,
    ),
    row(
        7,
        PROJECT,
        ("数据保护", "Data protection (project protection)"),
        DataWorksOrCli,
        Owner,
        No,
        MainAccountKeyEnabled,
    ),
    row(
        8,
        PROJECT,
        (
            "项目成员-添加、授权管理",
            "Add workspace members and manage their roles",
        ),
        DataWorks,
        Owner,
        Roles(ADMIN),
        MainAccountKeyEnabled,
    ),
    row(
        9,
        PROJECT,
        (
            "项目成员-添加、授权管理",
            "Add workspace members and manage their roles",
        ),
        MaxComputeCli,
        No,
        No,
        NoPrerequisite,
    ),
    row(
        10,
        INTEGRATION,
        ("数据源创建、修改", "Create or change data sources"),
        DataWorks,
        Owner,
        Roles(ADMIN),
        NoPrerequisite,
    ),
    row(
        11,
        INTEGRATION,
        ("同步任务创建、修改", "Create or change sync tasks"),
        DataWorks,
        Owner,
        Roles(ADMIN_DEV),
        NoPrerequisite,
    ),
    row(
        12,
        INTEGRATION,
        ("同步任务发布", "Publish sync tasks"),
        DataWorks,
        Owner,
        Roles(ADMIN_DEV_PE_DEPLOY),
        NoPrerequisite,
    ),
    row(
        13,
        CU,
        ("修改Quota", "Change the quota"),
        DataWorks,
        Owner,
        No,
        MainAccountKeyEnabled,
    ),
    row(
        14,
        CU,
        ("访问、监控", "View and monitor"),
        DataWorks,
        Owner,
        AnyMember,
        NoPrerequisite,
    ),
    row(
        15,
        CU,
        ("RAM授权", "RAM authorization"),
        DataWorks,
        No,
        No,
        NoPrerequisite,
    ),
    row(
        16,
        CODE,
        ("查看代码列表、内容", "View code lists and contents"),
        DataWorks,
        Owner,
        AnyMember,
        NoPrerequisite,
    ),
    row(
        17,
        CODE,
        (
            "代码创建、删除、更新、运行",
            "Create, delete, update or run code",
        ),
        DataWorks,
        Owner,
        Roles(ADMIN_DEV),
        NoPrerequisite,
    ),
    row(
        18,
        CODE,
        ("JAVA UDF", "Java UDFs"),
        DataWorksOrCli,
        Owner,
        Roles(ADMIN_DEV_PE_DEPLOY),
        NoPrerequisite,
    ),
    row(
        19,
        CODE,
        ("Python UDF", "Python UDFs"),
        DataWorksOrCli,
        Owner,
        Roles(ADMIN_DEV_PE_DEPLOY),
        EnabledByTicket,
    ),
    row(
        20,
        OPS,
        ("调度任务查看管理", "View and manage scheduled tasks"),
        DataWorks,
        Owner,
        Roles(ADMIN_DEV_PE_DEPLOY),
        NoPrerequisite,
    ),
    row(
        21,
        DATA,
        ("表-创建", "Create a table"),
        DataWorksOrCli,
        Owner,
        Roles(ADMIN_DEV),
        NoPrerequisite,
    ),
    row(
        22,
        DATA,
        ("表-更新", "Update a table"),
        DataWorksOrCli,
        Owner,
        Roles(ADMIN_DEV_PE_DEPLOY),
        NoPrerequisite,
    ),
    row(
        23,
        DATA,
        ("表-删除", "Drop a table"),
        DataWorksOrCli,
        Owner,
        Roles(ADMIN_DEV),
        NoPrerequisite,
    ),
    row(
        24,
        DATA,
        ("单表授权(ACL)", "Grant on a single table (ACL)"),
        DataWorksOrCli,
        Owner,
        Roles(ADMIN_DEV),
        NoPrerequisite,
    ),
    row(
        25,
        DATA,
        ("表查询-元数据预览", "Preview table metadata"),
        DataWorksOrCli,
        Owner,
        AnyMember,
        NoPrerequisite,
    ),
    row(
        26,
        DATA,
        (
            "表查询-跨Project表预览",
            "Preview a table of another project",
        ),
        DataWorksOrCli,
        Owner,
        AnyMember,
        GrantedByOwner,
    ),
    row(
        27,
        RESOURCES,
        ("查看资源列表", "List resources"),
        DataWorksOrCli,
        Owner,
        AnyMember,
        NoPrerequisite,
    ),
    row(
        28,
        RESOURCES,
        ("资源-创建、删除", "Create or delete resources"),
        DataWorksOrCli,
        Owner,
        Roles(ADMIN_DEV),
        NoPrerequisite,
    ),
    row(
        29,
        RESOURCES,
        (
            "资源-上传(Jar/Text/Archive)",
            "Upload resources (Jar/Text/Archive)",
        ),
        DataWorksOrCli,
        Owner,
        Roles(ADMIN_DEV),
        NoPrerequisite,
    ),
    row(
        30,
        WORKFLOWS,
        ("查看工作流列表、内容", "View workflow lists and contents"),
        DataWorks,
        Owner,
        AnyMember,
        NoPrerequisite,
    ),
    row(
        31,
        WORKFLOWS,
        (
            "工作流创建、删除、更新",
            "Create, delete or update workflows",
        ),
        DataWorks,
        Owner,
        Roles(ADMIN_DEV),
        NoPrerequisite,
    ),
    row(
        32,
        WORKFLOWS,
        ("文件夹创建、删除、更新", "Create, delete or update folders"),
        DataWorks,
        Owner,
        Roles(ADMIN_DEV),
        NoPrerequisite,
    ),
    row(
        33,
        FUNCTIONS,
        ("查看函数列表、详情", "List functions and view details"),
        DataWorksOrCli,
        Owner,
        AnyMember,
        NoPrerequisite,
    ),
    row(
        34,
        FUNCTIONS,
        ("函数-创建、删除", "Create or delete functions"),
        DataWorksOrCli,
        Owner,
        Roles(ADMIN_DEV),
        NoPrerequisite,
    ),
    row(
        35,
        SALES,
        (
            "购买、充值、续费、升级、降配",
            "Buy, top up, renew, upgrade or downgrade",
        ),
        PurchasePage,
        Owner,
        No,
        NoPrerequisite,
    ),
    row(
        36,
        SALES,
        (
            "查看消费账单、消费明细、使用记录",
            "View bills, spending details and usage records",
        ),
        BillingCenter,
        Owner,
        No,
        NoPrerequisite,
    ),
];

/// A row by its number (1-based, as printed).
pub fn matrix_row(number: u8) -> Option<&'static MatrixRow> {
    MATRIX.iter().find(|r| r.number == number)
}

/// The rows whose area or operation (in either language) holds every word of `words`, as
/// `who may` finds them ([`words_match`]).
pub fn matrix_rows_about(words: &str) -> Vec<&'static MatrixRow> {
    MATRIX
        .iter()
        .filter(|r| {
            words_match(
                words,
                &[r.area_zh, r.area_en, r.operation_zh, r.operation_en],
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seed_row_is_there_in_order() {
        for (i, r) in MATRIX.iter().enumerate() {
            assert_eq!(usize::from(r.number), i + 1);
        }
        assert_eq!(
            matrix_row(2).map(|r| (r.client, r.main_account)),
            Some((Client::MaxComputeCli, Allowed::No))
        );
        assert_eq!(
            matrix_row(19).map(|r| r.prerequisite),
            Some(Prerequisite::EnabledByTicket)
        );
        assert_eq!(matrix_rows_about("全表扫描").len(), 1);
        assert_eq!(matrix_rows_about("table").len(), 7);
        // As who may finds them: whole words, in any order (issue 21, item 7).
        let rows: Vec<u8> = matrix_rows_about("create table")
            .iter()
            .map(|r| r.number)
            .collect();
        assert_eq!(rows, [21]);
        assert_eq!(matrix_rows_about("tab").len(), 0);
    }
}
