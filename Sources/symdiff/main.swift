// Placeholder until the CLI lands.
print("symdiff")
