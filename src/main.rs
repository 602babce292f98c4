//! The `proviso` command.

mod cli;

fn main() -> std::process::ExitCode {
    // Evaluation walks expressions as deep as the limits allow; give the
    // whole command a stack with room to spare (only pages touched count).
    std::thread::Builder::new()
        .name("proviso".to_string())
        .stack_size(proviso::WORKER_STACK_BYTES)
        .spawn(cli::run)
        .ok()
        .and_then(|handle| handle.join().ok())
        .unwrap_or_else(cli::run)
}
