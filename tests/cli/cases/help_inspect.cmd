help inspect
