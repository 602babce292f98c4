//! Independent work on every core: files to check or lint, scenarios to
//! run. With the `parallel` feature (on in the command) the work is spread
//! over rayon's threads; without it (the WebAssembly playground) it runs
//! in turn. Either way the results come back in the order of the items, so
//! what is printed does not depend on which thread finished first.

/// `f` of each item, in the items' order.
pub fn map<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync + Send,
{
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        // Evaluation walks expressions as deep as the limits allow: the
        // workers get the stack the command's main thread has. (Once set,
        // the pool stays; a second attempt changes nothing.)
        static POOL: std::sync::Once = std::sync::Once::new();
        POOL.call_once(|| {
            let _ = rayon::ThreadPoolBuilder::new()
                .stack_size(crate::WORKER_STACK_BYTES)
                .build_global();
        });
        items.par_iter().map(f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        items.iter().map(f).collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..1000).collect();
        // Uneven work, so that threads finish out of order.
        let squares = super::map(&items, |&n| {
            let busy = (0..(n % 7) * 1000).fold(0u64, |acc, i| std::hint::black_box(acc ^ i));
            std::hint::black_box(busy);
            n * n
        });
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
    }
}
