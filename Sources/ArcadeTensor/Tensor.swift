// Placeholder: filled by the numeric-core work.
import CBLAS
