//! cirrus-benches: criterion micro-benchmarks of the engine's hot paths
//! (`benches/benches/*.rs`) and the synthetic page generators they share
//! with the end-to-end `cirrus bench` scenarios ([`gen`]).
//!
//! [`fixtures`] turns generated pages into ready-made engine inputs (a
//! [`cirrus_engine::stage::Stage`] holding the built tree, the template ops,
//! loaded style sheets) so each benchmark measures one stage of the pipeline.

pub mod fixtures;
pub mod gen;
pub mod timing;
