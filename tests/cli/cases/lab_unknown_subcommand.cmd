lab frob
