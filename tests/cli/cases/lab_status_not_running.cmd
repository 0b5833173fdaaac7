lab status /nonexistent-rootshift-lab
