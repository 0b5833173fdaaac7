lab device add /nonexistent-rootshift-lab dev1
