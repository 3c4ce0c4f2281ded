// Placeholder until Codegen lands.
import Symbolic
