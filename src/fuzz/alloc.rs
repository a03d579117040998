//! A global allocator for the fuzz binaries that refuses any single allocation above a cap and
//! says which case asked for it. An allocation failure aborts the process (it cannot unwind), so
//! without this a case asking for gigabytes would end the run with no seed to replay, or drive
//! the machine into swap.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::Write;

/// The largest single allocation a case may make.
pub const CAP: usize = 1 << 30;

thread_local! {
    static CASE: Cell<Option<(u8, u64)>> = const { Cell::new(None) };
}

/// Record the case running on this thread (for the abort message).
pub fn set_case(target: u8, seed: u64) {
    CASE.with(|c| c.set(Some((target, seed))));
}

/// `System`, with a cap on each allocation.
pub struct CappedAlloc;

fn refuse(size: usize) {
    let case = CASE.try_with(|c| c.get()).ok().flatten();
    let mut buf = [0u8; 160];
    let mut w = &mut buf[..];
    let _ = match case {
        Some((t, seed)) => {
            let name = super::Target::ALL
                .get(t as usize)
                .map(|t| t.name())
                .unwrap_or("?");
            writeln!(
                w,
                "FUZZ-ABORT target={name} seed={seed}: allocation of {size} bytes refused"
            )
        }
        None => writeln!(w, "FUZZ-ABORT allocation of {size} bytes refused"),
    };
    let left = w.len();
    let n = buf.len() - left;
    let _ = std::io::stderr().write_all(&buf[..n]);
}

// SAFETY: every call is passed to `System` unchanged, except that large requests fail (return
// null), which the `GlobalAlloc` contract allows.
unsafe impl GlobalAlloc for CappedAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() > CAP {
            refuse(layout.size());
            return std::ptr::null_mut();
        }
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.size() > CAP {
            refuse(layout.size());
            return std::ptr::null_mut();
        }
        System.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > CAP {
            refuse(new_size);
            return std::ptr::null_mut();
        }
        System.realloc(ptr, layout, new_size)
    }
}
