help audit
