"""Pure rules of the product: post states, validation, text and time. No I/O, no Qt."""
