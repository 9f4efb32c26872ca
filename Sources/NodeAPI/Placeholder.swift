enum NodeAPIPlaceholder {}
