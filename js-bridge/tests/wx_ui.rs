//! Selector queries, intersection observers and dialogs end to end: the
//! logic thread asks, a Stage (playing the render thread) answers after
//! its layout or after a tap, and the page's callbacks run.

mod wx_common;
use cirrus_engine::dialogs::{modal_layout, sheet_layout};
use wx_common::{files, App, Pump};

const WXML: &str = r#"<view class="header">title</view>
<view class="list">
  <view class="row" wx:for="{{rows}}" wx:key="*this" id="row-{{item}}" data-index="{{index}}">{{item}}</view>
</view>"#;
const WXSS: &str = ".header { height: 50px } .list { padding: 0 10px } .row { height: 40px }";

fn centre(r: &cirrus_engine::render::Rect) -> (f32, f32) {
    (r.x + r.width / 2.0, r.y + r.height / 2.0)
}

#[test]
fn a_page_queries_its_nodes_and_gets_the_render_threads_rects() {
    let page_js = r#"Page({
        data: { rows: ['a', 'b', 'c'] },
        onReady() {
            this.createSelectorQuery()
                .select('#row-b').boundingClientRect(rect => console.log('cb', JSON.stringify(rect)))
                .selectAll('.list .row').fields({ id: true, dataset: true, size: true })
                .selectViewport().scrollOffset()
                .exec(results => console.log('exec', JSON.stringify(results[1]), results[2].scrollTop, results.length));
            wx.createSelectorQuery().select('.nothing').boundingClientRect().exec(r => console.log('none', r[0]));
        },
    });"#;
    let files = files(page_js, WXML, WXSS);
    let app = App::start(files.clone(), None);
    let mut pump = Pump::new(&files, &app);
    app.to_logic
        .send(cirrus_engine::protocol::ToLogic::Launch {
            route: "pages/index/index".into(),
            query: String::new(),
        })
        .unwrap();
    pump.run(&app, |console, _| console.len() >= 3);
    assert_eq!(
        app.console(),
        vec![
            // (keys arrive sorted: serde_json's map)
            r#"cb {"bottom":130,"dataset":{"index":1},"height":40,"id":"row-b","left":10,"right":365,"top":90,"width":355}"#,
            r#"exec [{"dataset":{"index":0},"height":40,"id":"row-a","width":355},{"dataset":{"index":1},"height":40,"id":"row-b","width":355},{"dataset":{"index":2},"height":40,"id":"row-c","width":355}] 0 3"#,
            "none null",
        ]
    );
    app.shutdown();
}

#[test]
fn an_intersection_observer_notifies_on_observe_and_after_set_data() {
    let page_js = r#"Page({
        data: { rows: ['a'] },
        onLoad() {
            this.observer = this.createIntersectionObserver({ thresholds: [0, 1] });
            this.observer.relativeToViewport({ bottom: -500 }).observe('#row-a', entry => {
                console.log('ratio', entry.intersectionRatio, entry.id, entry.boundingClientRect.top);
                if (entry.intersectionRatio > 0) this.setData({ rows: ['z', 'y', 'a'] });
            });
        },
    });"#;
    let files = files(
        page_js,
        WXML,
        ".header { height: 150px } .row { height: 40px }",
    );
    let app = App::start(files.clone(), None);
    let mut pump = Pump::new(&files, &app);
    app.to_logic
        .send(cirrus_engine::protocol::ToLogic::Launch {
            route: "pages/index/index".into(),
            query: String::new(),
        })
        .unwrap();
    // The area is the top 167 px: row a (150..190) is 17/40 visible; the
    // setData moves it to 230..270, out of the area: threshold 0 crossed.
    pump.run(&app, |console, _| console.len() >= 2);
    assert_eq!(
        app.console(),
        vec!["ratio 0.425 row-a 150", "ratio 0 row-a 230"]
    );
    app.shutdown();
}

#[test]
fn a_modal_confirm_tap_resolves_the_promise_and_a_sheet_reports_its_index() {
    let page_js = r#"Page({
        onLoad() {
            wx.showToast({ title: 'hi' }).then(res => console.log(res.errMsg));
            wx.showModal({ title: 'Sure?', content: 'It cannot be undone' })
                .then(res => {
                    console.log(JSON.stringify(res));
                    return wx.showActionSheet({ itemList: ['one', 'two', 'three'] });
                })
                .then(res => console.log(res.errMsg, res.tapIndex));
        },
    });"#;
    let files = files(page_js, "<view/>", "");
    let app = App::start(files.clone(), None);
    let mut pump = Pump::new(&files, &app);
    app.to_logic
        .send(cirrus_engine::protocol::ToLogic::Launch {
            route: "pages/index/index".into(),
            query: String::new(),
        })
        .unwrap();
    pump.run(&app, |console, stage| {
        !console.is_empty() && stage.dialogs().modal().is_some()
    });
    assert_eq!(app.console(), vec!["showToast:ok"]);
    assert_eq!(
        pump.stage().dialogs().toast().map(|t| t.title.as_str()),
        Some("hi")
    );
    let modal = pump.stage().dialogs().modal().cloned().unwrap();
    assert_eq!(
        (
            modal.title.as_str(),
            modal.confirm_text.as_str(),
            modal.show_cancel
        ),
        ("Sure?", "确定", true)
    );
    let viewport = pump.stage().viewport();
    let layout = modal_layout(&modal, viewport, pump.stage().text_system());
    let (x, y) = centre(&layout.confirm);
    pump.driver.tap(x, y);
    pump.run(&app, |_, stage| stage.dialogs().action_sheet().is_some());
    assert_eq!(
        app.console()[1],
        r#"{"cancel":false,"confirm":true,"errMsg":"showModal:ok"}"#
    );
    let sheet = pump.stage().dialogs().action_sheet().cloned().unwrap();
    let layout = sheet_layout(&sheet, viewport, pump.stage().text_system());
    let (x, y) = centre(&layout.items[2]);
    pump.driver.tap(x, y);
    pump.run(&app, |console, _| console.len() >= 3);
    assert_eq!(app.console()[2], "showActionSheet:ok 2");
    app.shutdown();
}
