/** The label on anything the demo model made or will make: random weights, so the images are noise. */
export function DemoLabel() {
  return <p className="demo-label">Demo model — random weights, the images are noise</p>;
}
