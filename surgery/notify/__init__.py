"""Email: messages built from templates/email/*, and the backends that deliver them."""
