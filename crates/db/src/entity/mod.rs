//! sea-orm entities of the release-1 tables. The release-2 tables exist in the schema and get
//! entities with the release that fills them.

pub mod dataset;
pub mod dataset_group;
pub mod dataset_lineage;
pub mod manipulator;
pub mod pipeline_execution;
pub mod pipeline_worker;
