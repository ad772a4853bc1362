//! Selector queries and intersection observers answered by the Stage from
//! its layout, as the render thread does after each frame's layout.

mod common;

use cirrus_engine::ops::{NodeId, Op, OpBatch};
use cirrus_engine::protocol::{ToLogic, ToRender};
use cirrus_engine::query::{
    IntersectionObserve, QueryAnswer, QueryFields, QueryRequest, QueryTarget, RelativeTo,
};
use cirrus_engine::stage::Stage;
use common::{element, stage_with, PAGE};
use serde_json::{json, Value};

fn rect_fields() -> QueryFields {
    QueryFields {
        id: true,
        dataset: true,
        rect: true,
        size: true,
        ..QueryFields::default()
    }
}

/// `.list` holds three 100px rows after a 50px header; the second row has
/// an id and a dataset.
fn list_page() -> Stage {
    let mut stage = stage_with(
        ".header { height: 50px } .list { padding-left: 20px } .row { height: 100px; width: 200px }",
    );
    let mut ops = element(1, 0, "view", &[("class", json!("header"))]);
    ops.extend(element(2, 0, "view", &[("class", json!("list"))]));
    ops.extend(element(3, 2, "view", &[("class", json!("row"))]));
    ops.extend(element(
        4,
        2,
        "view",
        &[
            ("class", json!("row second")),
            ("id", json!("chosen")),
            ("data-item-id", json!(42)),
        ],
    ));
    ops.extend(element(5, 2, "view", &[("class", json!("row"))]));
    stage.handle(ToRender::Ops(OpBatch { page: PAGE, ops }));
    stage
}

#[test]
fn a_query_is_answered_after_the_next_layout_with_exact_rects() {
    let mut stage = list_page();
    stage.handle(ToRender::Query {
        id: 9,
        page: PAGE,
        requests: vec![
            QueryRequest {
                target: QueryTarget::First("#chosen".into()),
                fields: rect_fields(),
                scope: None,
            },
            QueryRequest {
                target: QueryTarget::All(".list > .row".into()),
                fields: QueryFields {
                    rect: true,
                    ..QueryFields::default()
                },
                scope: None,
            },
            QueryRequest {
                target: QueryTarget::First(".missing".into()),
                fields: rect_fields(),
                scope: None,
            },
            QueryRequest {
                target: QueryTarget::Viewport,
                fields: QueryFields {
                    size: true,
                    scroll_offset: true,
                    ..QueryFields::default()
                },
                scope: None,
            },
        ],
    });
    let replies = stage.answer_queries(0.0);
    assert_eq!(replies.len(), 1, "{replies:?}");
    let ToLogic::QueryResult { id, results } = &replies[0] else {
        panic!("not a query result: {replies:?}");
    };
    let results = QueryAnswer::list_to_json(results);
    assert_eq!(*id, 9);
    assert_eq!(
        results[0],
        json!({
            "id": "chosen", "dataset": {"itemId": 42},
            "left": 20.0, "right": 220.0, "top": 150.0, "bottom": 250.0,
            "width": 200.0, "height": 100.0,
        })
    );
    let tops: Vec<f64> = results[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["top"].as_f64().unwrap())
        .collect();
    assert_eq!(tops, vec![50.0, 150.0, 250.0]);
    assert_eq!(results[2], Value::Null);
    assert_eq!(
        results[3],
        json!({"width": 375.0, "height": 667.0, "scrollLeft": 0.0, "scrollTop": 0.0,
               "scrollWidth": 375.0, "scrollHeight": 667.0})
    );
    assert!(
        stage.answer_queries(0.0).is_empty(),
        "a query is answered once"
    );
}

#[test]
fn descendant_and_child_combinators_scope_matches() {
    let mut stage = list_page();
    let count = |stage: &mut Stage, selector: &str| {
        stage.handle(ToRender::Query {
            id: 1,
            page: PAGE,
            requests: vec![QueryRequest {
                target: QueryTarget::All(selector.into()),
                fields: QueryFields::default(),
                scope: None,
            }],
        });
        match &stage.answer_queries(0.0)[0] {
            ToLogic::QueryResult { results, .. } => QueryAnswer::list_to_json(results)[0]
                .as_array()
                .unwrap()
                .len(),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(count(&mut stage, ".row"), 3);
    assert_eq!(count(&mut stage, ".list .row"), 3);
    assert_eq!(count(&mut stage, ".header .row"), 0);
    assert_eq!(count(&mut stage, "view > .second"), 1);
    assert_eq!(count(&mut stage, ".row.second, .header"), 2);
    assert_eq!(count(&mut stage, "view"), 5);
    // The style sheets' selectors (cirrus-style's `SelectorList`).
    assert_eq!(count(&mut stage, ".row:first-child"), 1);
    assert_eq!(count(&mut stage, ".row + .row"), 2);
    assert_eq!(count(&mut stage, ".list > :not(.second)"), 2);
    assert_eq!(count(&mut stage, "[id=chosen]"), 1);
    // Hand-written mistakes match nothing; the rest of the list does.
    assert_eq!(count(&mut stage, ".list >"), 0);
    assert_eq!(count(&mut stage, ".list >, .header"), 1);
    assert_eq!(count(&mut stage, ".row::before"), 0);
    assert_eq!(count(&mut stage, ""), 0);
}

#[test]
fn intersection_observer_reports_the_initial_ratio_then_crossings() {
    let mut stage = stage_with(".spacer { height: 600px } .target { height: 100px }");
    let mut ops = element(1, 0, "view", &[("class", json!("spacer"))]);
    ops.extend(element(
        2,
        0,
        "view",
        &[("class", json!("target")), ("id", json!("t"))],
    ));
    stage.handle(ToRender::Ops(OpBatch { page: PAGE, ops }));
    stage.handle(ToRender::ObserveIntersection(IntersectionObserve {
        id: 5,
        page: PAGE,
        target: "#t".into(),
        observe_all: false,
        relative_to: vec![RelativeTo::Viewport(Default::default())],
        thresholds: vec![0.0, 0.5],
        initial_ratio: 0.0,
        scope: None,
    }));
    let replies = stage.answer_queries(16.0);
    assert_eq!(replies.len(), 1, "{replies:?}");
    let ToLogic::Intersection { id, entry } = &replies[0] else {
        panic!("{replies:?}");
    };
    let entry = entry.to_json();
    assert_eq!(*id, 5);
    // 600..700 against a 667 px viewport: 67 of 100 px visible.
    assert!(
        (entry["intersectionRatio"].as_f64().unwrap() - 0.67).abs() < 1e-6,
        "{entry}"
    );
    assert_eq!(entry["intersectionRect"]["top"], json!(600.0));
    assert_eq!(entry["intersectionRect"]["bottom"], json!(667.0));
    assert_eq!(entry["boundingClientRect"]["bottom"], json!(700.0));
    assert_eq!(entry["id"], json!("t"));
    assert!(
        stage.answer_queries(32.0).is_empty(),
        "nothing changed, nothing sent"
    );

    // The spacer grows: the target moves below the fold (crossing 0.5 and 0).
    stage.handle(ToRender::Ops(OpBatch {
        page: PAGE,
        ops: vec![Op::SetAttribute {
            id: NodeId(1),
            name: "style".into(),
            value: json!("height: 700px"),
        }],
    }));
    let replies = stage.answer_queries(48.0);
    assert_eq!(replies.len(), 1, "{replies:?}");
    let ToLogic::Intersection { entry, .. } = &replies[0] else {
        panic!("{replies:?}");
    };
    let entry = entry.to_json();
    assert_eq!(entry["intersectionRatio"], json!(0.0));

    stage.handle(ToRender::DisconnectObserver { id: 5 });
    stage.handle(ToRender::Ops(OpBatch {
        page: PAGE,
        ops: vec![Op::SetAttribute {
            id: NodeId(1),
            name: "style".into(),
            value: json!("height: 0px"),
        }],
    }));
    assert!(stage.answer_queries(64.0).is_empty());
}
