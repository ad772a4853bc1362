//! Transitions, animations and @keyframes.

mod common;

use cirrus_layout::style::{Dimension, TransformFunction};
use cirrus_style::{AnimationDirection, FillMode, TimingFunction};
use common::{sheets, Tree};

#[test]
fn transition_lists_combine() {
    let s = sheets(
        ".n { transition: opacity 200ms ease-in, transform 0.5s linear 100ms } \
         .m { transition-property: width, height; transition-duration: 1s }",
    );
    let mut t = Tree::new();
    let n = t.add(None, "view.n");
    let m = t.add(None, "view.m");
    let motion = s.compute_node(&t.el(n), None).motion;
    assert_eq!(motion.transitions.len(), 2);
    assert_eq!(motion.transitions[0].property, "opacity");
    assert_eq!(motion.transitions[0].duration_ms, 200);
    assert_eq!(motion.transitions[0].timing, TimingFunction::EaseIn);
    assert_eq!(motion.transitions[1].property, "transform");
    assert_eq!(
        (
            motion.transitions[1].duration_ms,
            motion.transitions[1].delay_ms
        ),
        (500, 100)
    );
    let both = s.compute_node(&t.el(m), None).motion;
    assert_eq!(both.transitions.len(), 2, "the duration list repeats");
    assert_eq!(both.transitions[1].duration_ms, 1000);
    assert_eq!(both.transitions[1].timing, TimingFunction::Ease);
}

#[test]
fn animations_and_keyframes() {
    let s = sheets(
        "@keyframes grow { from { width: 10px; transform: scale(1) } 50%, to { width: 100rpx } } \
         .n { animation: grow 2s infinite alternate both steps(4, jump-start) }",
    );
    let mut t = Tree::new();
    let n = t.add(None, "view.n");
    let node = s.compute_node(&t.el(n), None);
    let anim = &node.motion.animations[0];
    assert_eq!(anim.name, "grow");
    assert_eq!(anim.duration_ms, 2000);
    assert_eq!(anim.iterations, None);
    assert_eq!(anim.direction, AnimationDirection::Alternate);
    assert_eq!(anim.fill_mode, FillMode::Both);
    assert_eq!(
        anim.timing,
        TimingFunction::Steps {
            count: 4,
            jump_start: true
        }
    );

    let frames = s.keyframes("grow").expect("keyframes");
    assert_eq!(frames.frames.len(), 2);
    assert_eq!(frames.frames[0].offsets, vec![0.0]);
    assert_eq!(frames.frames[1].offsets, vec![0.5, 1.0]);
    let first = s.keyframe_style(&frames.frames[0], &node.style, None);
    assert_eq!(first.width, Dimension::Px(10.0));
    assert_eq!(
        first.transform,
        vec![TransformFunction::Scale(1.0, 1.0, 1.0)]
    );
    let last = s.keyframe_style(&frames.frames[1], &node.style, None);
    assert_eq!(last.width, Dimension::Px(50.0));
    assert!(s.keyframes("missing").is_none());
}
