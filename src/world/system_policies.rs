//! The system policies odpsh knows, each with the document that says what it allows: the one
//! place their meaning is written. The documents express each policy's documented purpose
//! (seed 000 and 002, the RAM and product documentation); where the service's own JSON is not
//! published, they say it in the fewest statements (see grammar/DECISIONS.md).

/// A system policy: created and maintained by Alibaba Cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SystemPolicy {
    pub name: &'static str,
    pub description: &'static str,
    /// Flagged by the console as high-risk when attached.
    pub high_risk: bool,
    /// Its policy document (version `v1`).
    pub document: &'static str,
}

/// The system policies the simulated account knows: seed 002's table and the high-risk ones.
pub const SYSTEM_POLICIES: [SystemPolicy; 9] = [
    SystemPolicy {
        name: "AdministratorAccess",
        description: "Provides full access to Alibaba Cloud services and resources.",
        high_risk: true,
        document: r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    },
    SystemPolicy {
        name: "AliyunRAMFullAccess",
        description: "Provides full access to Resource Access Management (RAM).",
        high_risk: true,
        document: r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ram:*","Resource":"*"}]}"#,
    },
    SystemPolicy {
        name: "AliyunRAMReadOnlyAccess",
        description: "Provides read-only access to Resource Access Management (RAM).",
        high_risk: false,
        document: r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ram:Get*","ram:List*","ram:GenerateCredentialReport"],"Resource":"*"}]}"#,
    },
    SystemPolicy {
        name: "AliyunBSSOrderAccess",
        description: "Provides access to place orders, pay and renew in Billing Management.",
        high_risk: false,
        document: r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["bss:*Order*","bss:PayOrder","bss:Renew*"],"Resource":"*"}]}"#,
    },
    SystemPolicy {
        name: "AliyunDataWorksFullAccess",
        description: "Provides full access to DataWorks.",
        high_risk: false,
        document: r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"dataworks:*","Resource":"*"}]}"#,
    },
    SystemPolicy {
        name: "AliyunMaxComputeFullAccess",
        description: "Provides full access to MaxCompute.",
        high_risk: false,
        document: r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"odps:*","Resource":"*"}]}"#,
    },
    SystemPolicy {
        name: "AliyunMaxComputeReadOnlyAccess",
        description: "Provides read-only access to MaxCompute.",
        high_risk: false,
        document: r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["odps:Get*","odps:List*","odps:Query*","odps:Chat*"],"Resource":"*"}]}"#,
    },
    SystemPolicy {
        name: "AliyunDataWorksReadOnlyAccess",
        description: "Provides read-only access to DataWorks.",
        high_risk: false,
        document: r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["dataworks:Get*","dataworks:List*"],"Resource":"*"}]}"#,
    },
    SystemPolicy {
        name: "AliyunSTSAssumeRoleAccess",
        description: "Provides access to call the AssumeRole operation of STS.",
        high_risk: false,
        document: r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#,
    },
];

pub fn system_policy(name: &str) -> Option<&'static SystemPolicy> {
    SYSTEM_POLICIES
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::policy_condition::RequestContext;
    use crate::world::policy_document::{PolicyDocument, Request, Verdict};

    fn allows(policy: &str, action: &str) -> bool {
        let document = system_policy(policy)
            .map(|p| PolicyDocument::parse(p.document).unwrap())
            .unwrap();
        let context = RequestContext::default();
        let request = Request {
            action,
            resource: "acs:ram:*:1:user/alice",
            context: &context,
        };
        document.verdict(&request) == Verdict::Allowed
    }

    #[test]
    fn every_document_is_valid_and_means_what_its_name_says() {
        for p in SYSTEM_POLICIES {
            assert!(PolicyDocument::parse(p.document).is_ok(), "{}", p.name);
        }
        assert!(allows("AdministratorAccess", "ram:DeleteUser"));
        assert!(allows("AliyunRAMFullAccess", "ram:DeleteUser"));
        assert!(!allows("AliyunRAMFullAccess", "dataworks:CreateProject"));
        assert!(allows("AliyunRAMReadOnlyAccess", "ram:ListUsers"));
        assert!(allows("AliyunRAMReadOnlyAccess", "ram:GetUser"));
        assert!(!allows("AliyunRAMReadOnlyAccess", "ram:CreateUser"));
        assert!(allows(
            "AliyunDataWorksFullAccess",
            "dataworks:CreateProject"
        ));
        assert!(!allows(
            "AliyunDataWorksReadOnlyAccess",
            "dataworks:CreateProject"
        ));
        assert!(allows(
            "AliyunDataWorksReadOnlyAccess",
            "dataworks:ListProjectMembers"
        ));
        assert!(!allows(
            "AliyunMaxComputeReadOnlyAccess",
            "odps:CreateProject"
        ));
    }
}
