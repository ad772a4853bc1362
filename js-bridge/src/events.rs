//! UI events from the render thread, spelled the WeChat way for the
//! handlers (<https://developers.weixin.qq.com/miniprogram/dev/framework/view/wxml/event.html>): the typed [`UiEvent`] becomes the payload
//! `component.js` dispatches (`detail`, `touches`, `changedTouches`, the
//! `offsetLeft`/`offsetTop` of the nodes on the path).

use cirrus_protocol::events::{EventDetail, Touch, UiEvent};
use serde_json::{json, Map, Value};

/// The payload `cirrus.dispatchEvent` takes for `event`.
pub(crate) fn payload(event: &UiEvent) -> Value {
    let mut offsets = Map::new();
    for offset in &event.offsets {
        offsets.insert(offset.node.0.to_string(), json!([offset.left, offset.top]));
    }
    let (mut touches, mut changed): (Vec<Value>, Vec<Value>) = (
        event.touches.iter().map(touch).collect(),
        event.changed_touches.iter().map(touch).collect(),
    );
    // A host's raw JS detail may carry its own touch lists.
    if let EventDetail::Value(value) = &event.detail {
        if let Some(Value::Array(list)) = value.get("touches") {
            touches.clone_from(list);
        }
        if let Some(Value::Array(list)) = value.get("changedTouches") {
            changed.clone_from(list);
        }
    }
    json!({
        "detail": event.detail.to_json(),
        "touches": touches,
        "changedTouches": changed,
        "offsets": offsets,
        "afterLongpress": matches!(event.detail, EventDetail::Tap { after_longpress: true, .. }),
    })
}

fn touch(t: &Touch) -> Value {
    json!({
        "identifier": t.identifier,
        "pageX": t.page_x,
        "pageY": t.page_y,
        "clientX": t.client_x,
        "clientY": t.client_y,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cirrus_protocol::events::NodeOffset;
    use cirrus_protocol::ops::{NodeId, PageId};

    #[test]
    fn a_tap_carries_point_touches_and_offsets() {
        let mut event = UiEvent::new(
            PageId(1),
            NodeId(7),
            "tap",
            EventDetail::Tap {
                x: 10.0,
                y: 20.0,
                after_longpress: true,
            },
        );
        event.changed_touches.push(Touch {
            identifier: 3,
            page_x: 10.0,
            page_y: 20.0,
            client_x: 10.0,
            client_y: 20.0,
        });
        event.offsets.push(NodeOffset {
            node: NodeId(7),
            left: 4.0,
            top: 5.0,
        });
        let p = payload(&event);
        assert_eq!(p["detail"], json!({"x": 10.0, "y": 20.0}));
        assert_eq!(p["changedTouches"][0]["identifier"], 3);
        assert_eq!(p["changedTouches"][0]["pageY"], 20.0);
        assert_eq!(p["offsets"]["7"], json!([4.0, 5.0]));
        assert_eq!(p["afterLongpress"], true);
        assert_eq!(p["touches"], json!([]));
    }

    #[test]
    fn scroll_details_use_wechat_names() {
        let event = UiEvent::new(
            PageId(1),
            NodeId(2),
            "scroll",
            EventDetail::Scroll {
                scroll_left: 0.0,
                scroll_top: 30.0,
                scroll_width: 100.0,
                scroll_height: 900.0,
                delta_x: 0.0,
                delta_y: -30.0,
            },
        );
        let p = payload(&event);
        assert_eq!(p["detail"]["scrollTop"], 30.0);
        assert_eq!(p["detail"]["deltaY"], -30.0);
        assert_eq!(p["afterLongpress"], false);
    }
}
