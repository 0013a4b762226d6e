//! The Alibaba Cloud OpenAPI RPC endpoint at `/`, which the RAM, STS, DataWorks and IMS SDKs
//! speak: what a request must prove (its signature, ACS3 or RPC V1, its time, its nonce) and
//! the errors the endpoint answers.

pub mod errors;
pub mod nonce;
pub mod params;
pub mod proof;
pub mod signature_acs3;
pub mod signature_rpc;
