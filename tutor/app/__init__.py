"""The Textual app: home screen, stepper, training screen and their widgets."""
