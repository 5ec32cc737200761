// The plain-DOM baseline's start-up: the same visible parts as the inline panel.
document.body.append(bench.panel());
