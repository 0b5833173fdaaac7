profiles azure-ica-2026
