//! Chart geometry (in progress).
