// Placeholder until the Symbolic core lands.
import ExprParse
