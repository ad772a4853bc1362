//! The attribute names of the component contract between the logic thread
//! (which emits them as `Op::SetAttribute`) and the render side (style
//! isolation and layout of virtual nodes). One place, so both sides agree.
//!
//! - [`SCOPE`] is set on every element a component's template creates; its
//!   value is the component path without extension
//!   (`components/card/card`). Page-owned elements never carry it.
//! - [`HOST_OF`] is set on a component's host element (the element of the
//!   custom tag in its owner's template), with the same path.
//! - [`STYLE_ISOLATION`] (`"isolated"` default, `"apply-shared"`, `"shared"`)
//!   and [`ADD_GLOBAL_CLASS`] (bool) are set on the host from the
//!   component's `options`.
//! - [`EXTERNAL_CLASSES`] is set on the host: a JSON object mapping each
//!   declared external class (`my-class`) to the class names the owner
//!   passed for it (`"a b"`), resolved in the owner's scope.
//! - [`VIRTUAL`] (`true`) marks an element that takes no box of its own: a
//!   `<slot>` and the host of a `virtualHost` component. The render side
//!   lays out and paints its children as children of its parent (like
//!   `display: contents`).

/// On every element created by a component's template: the component path.
pub const SCOPE: &str = "wx:scope";
/// On a component's host element: the component path.
pub const HOST_OF: &str = "wx:host-of";
/// On a host element: the component's `options.styleIsolation`.
pub const STYLE_ISOLATION: &str = "wx:style-isolation";
/// On a host element: the component's `options.addGlobalClass`.
pub const ADD_GLOBAL_CLASS: &str = "wx:add-global-class";
/// On a host element: `{ "external-class-name": "owner classes" }`.
pub const EXTERNAL_CLASSES: &str = "wx:external-classes";
/// On `<slot>` elements and virtual hosts: `true`.
pub const VIRTUAL: &str = "wx:virtual";
