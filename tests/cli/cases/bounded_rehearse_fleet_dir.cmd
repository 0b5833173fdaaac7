rehearse data --lab data
