fn main() -> std::process::ExitCode {
    odpsh::shell::main()
}
