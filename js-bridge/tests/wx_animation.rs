//! wx.createAnimation: the shape `export()` hands over, and the
//! `animation="{{...}}"` attribute moving a node on the render thread's
//! clock (engine/src/motion/steps.rs), through the whole chain: page
//! script -> setData -> ops -> Stage -> transitions.

mod wx_common;
use cirrus_engine::layout::style::{LengthPercentage, TransformFunction};
use cirrus_engine::ops::NodeId;
use cirrus_engine::protocol::ToRender;
use std::time::Duration;
use wx_common::{files, App, Pump};

#[test]
fn export_has_wechats_shape_and_clears_the_queue() {
    let app = App::start(
        files(
            r#"Page({ onLoad() {
            const a = wx.createAnimation({ duration: 300, timingFunction: 'ease', transformOrigin: '0 0' });
            a.rotate(45).scale(2).opacity(0.5).width(100).step();
            a.translateX(10).backgroundColor('red').step({ duration: 200, delay: 50, timingFunction: 'bogus' });
            console.log(JSON.stringify(a.export()));
            console.log(JSON.stringify(a.export()));
            const b = wx.createAnimation();
            b.rotate3d(30).skew(1).matrix(1, 0, 0, 1, 0, 0).step();
            console.log(JSON.stringify(b.export().actions[0]));
        } });"#,
            "<view/>",
            "",
        ),
        None,
    );
    let messages = app.launch();
    assert_eq!(App::errors(&messages), Vec::<String>::new());
    let console = app.console();
    let first: serde_json::Value = serde_json::from_str(&console[0]).unwrap();
    assert_eq!(
        first,
        serde_json::json!({"actions": [
            {"animates": [
                {"type": "rotate", "args": [45]},
                {"type": "scale", "args": [2, 2]},
                {"type": "style", "args": ["opacity", 0.5]},
                {"type": "style", "args": ["width", "100px"]},
            ], "option": {"transition": {"duration": 300, "timingFunction": "ease", "delay": 0}, "transformOrigin": "0 0"}},
            // Each action carries the whole state so far.
            {"animates": [
                {"type": "rotate", "args": [45]},
                {"type": "scale", "args": [2, 2]},
                {"type": "style", "args": ["opacity", 0.5]},
                {"type": "style", "args": ["width", "100px"]},
                {"type": "translateX", "args": [10]},
                {"type": "style", "args": ["background-color", "red"]},
            ], "option": {"transition": {"duration": 200, "timingFunction": "ease", "delay": 50}, "transformOrigin": "0 0"}},
        ]})
    );
    assert_eq!(console[1], r#"{"actions":[]}"#);
    assert_eq!(
        console[2],
        r#"{"animates":[{"type":"rotate3d","args":[0,0,1,30]},{"type":"skew","args":[1,0]},{"type":"matrix","args":[1,0,0,1,0,0]}],"option":{"transition":{"duration":400,"timingFunction":"linear","delay":0},"transformOrigin":"50% 50% 0"}}"#
    );
    app.shutdown();
}

fn translate_x(stage: &cirrus_engine::stage::Stage, id: NodeId) -> f32 {
    let node = stage
        .top_page()
        .expect("a page")
        .tree
        .get(id)
        .expect("node");
    match node.style.transform.first() {
        Some(TransformFunction::Translate(LengthPercentage::Px(x), _, _)) => *x,
        None => 0.0,
        other => panic!("unexpected transform {other:?}"),
    }
}

fn opacity(stage: &cirrus_engine::stage::Stage, id: NodeId) -> f32 {
    stage
        .top_page()
        .expect("a page")
        .tree
        .get(id)
        .expect("node")
        .style
        .opacity
}

#[test]
fn the_animation_attribute_plays_its_steps_on_the_stage_clock() {
    let files = files(
        r#"Page({
            data: { ani: null },
            onReady() {
                const a = wx.createAnimation({ duration: 1000, timingFunction: 'linear' });
                a.translateX(100).step();
                a.opacity(0).step({ duration: 500 });
                this.setData({ ani: a.export() });
            },
        });"#,
        r#"<view id="box" style="width: 10px; height: 10px" animation="{{ani}}"/>"#,
        "",
    );
    let app = App::start(files.clone(), None);
    let mut pump = Pump::new(&files, &app);
    app.to_logic
        .send(cirrus_engine::protocol::ToLogic::Launch {
            route: "pages/index/index".into(),
            query: String::new(),
        })
        .unwrap();
    // Each batch gets its own frame at t = 0, as on the render thread: the
    // box is styled before the animation arrives, so it moves from there.
    let messages = app.until_idle();
    let mut batches = 0;
    for message in messages {
        let is_ops = matches!(message, ToRender::Ops(_));
        pump.stage().handle(message);
        if is_ops {
            batches += 1;
            pump.stage().set_time(Duration::ZERO);
            pump.stage().update();
        }
    }
    assert!(batches >= 2, "the setData of onReady is a batch of its own");
    let stage = pump.stage();
    let page = stage.top_page().expect("a page");
    let id = (1..64)
        .map(NodeId)
        .find(|&id| page.tree.get(id).is_some_and(|n| n.attrs.id == "box"))
        .expect("the box");
    let mut sample = |ms: u64| {
        stage.set_time(Duration::from_millis(ms));
        stage.update();
        (translate_x(stage, id), opacity(stage, id))
    };
    let (x, o) = sample(0);
    assert!(x.abs() < 0.01 && o == 1.0, "at 0: {x} {o}");
    let (x, o) = sample(250);
    assert!((x - 25.0).abs() < 0.5 && o == 1.0, "at 250: {x} {o}");
    let (x, _) = sample(500);
    assert!((x - 50.0).abs() < 0.5, "at 500: {x}");
    // The second step starts when the first ends.
    let (x, o) = sample(1000);
    assert!(
        (x - 100.0).abs() < 0.01 && (o - 1.0).abs() < 0.01,
        "at 1000: {x} {o}"
    );
    let (x, o) = sample(1250);
    assert!(
        (x - 100.0).abs() < 0.01 && (o - 0.5).abs() < 0.02,
        "at 1250: {x} {o}"
    );
    let (x, o) = sample(1600);
    assert!(
        (x - 100.0).abs() < 0.01 && o.abs() < 0.01,
        "at 1600: {x} {o}"
    );
    assert!(
        !stage.is_animating(),
        "the last step's values stay, nothing moves"
    );
    app.shutdown();
}

#[test]
fn this_animate_plays_keyframes_on_the_selected_node_then_calls_back() {
    let files = files(
        r#"Page({
            onReady() {
                this.animate('#box', [
                    { opacity: 1, translateX: 0 },
                    { opacity: 0.5, translateX: 80, offset: 0.8 },
                    { opacity: 0, translateX: 100 },
                ], 1000, () => console.log('animated'));
            },
        });"#,
        r#"<view id="box" style="width: 10px; height: 10px"/><view id="other"/>"#,
        "",
    );
    let app = App::start(files.clone(), None);
    let mut pump = Pump::new(&files, &app);
    app.to_logic
        .send(cirrus_engine::protocol::ToLogic::Launch {
            route: "pages/index/index".into(),
            query: String::new(),
        })
        .unwrap();
    for message in app.until_idle() {
        let frame = matches!(message, ToRender::Ops(_) | ToRender::Animate { .. });
        pump.stage().handle(message);
        if frame {
            pump.stage().set_time(Duration::ZERO);
            pump.stage().update();
        }
    }
    let stage = pump.stage();
    let page = stage.top_page().expect("a page");
    let find = |name: &str| {
        (1..64)
            .map(NodeId)
            .find(|&id| page.tree.get(id).is_some_and(|n| n.attrs.id == name))
            .expect("a node")
    };
    let (box_id, other) = (find("box"), find("other"));
    let mut sample = |ms: u64| {
        stage.set_time(Duration::from_millis(ms));
        stage.update();
        (translate_x(stage, box_id), opacity(stage, box_id))
    };
    let (x, o) = sample(400);
    assert!(
        (x - 40.0).abs() < 0.5 && (o - 0.75).abs() < 0.01,
        "at 400: {x} {o}"
    );
    let (x, o) = sample(800);
    assert!(
        (x - 80.0).abs() < 0.5 && (o - 0.5).abs() < 0.01,
        "at 800: {x} {o}"
    );
    let (x, o) = sample(900);
    assert!(
        (x - 90.0).abs() < 0.5 && (o - 0.25).abs() < 0.01,
        "at 900: {x} {o}"
    );
    let (x, o) = sample(1000);
    assert!(
        (x - 100.0).abs() < 0.01 && o.abs() < 0.01,
        "at 1000: {x} {o}"
    );
    assert_eq!(opacity(stage, other), 1.0, "only the selected node moves");
    assert_eq!(translate_x(stage, other), 0.0);
    assert!(app.console().is_empty(), "no callback before the duration");
    app.clock.advance(Duration::from_millis(999));
    let _ = app.until_idle();
    assert!(app.console().is_empty(), "no callback before the duration");
    app.clock.advance(Duration::from_millis(1));
    let _ = app.until_idle();
    assert_eq!(app.console(), vec!["animated"]);
    app.shutdown();
}
