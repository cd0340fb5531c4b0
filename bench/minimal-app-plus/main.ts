// The same minimal app on the foundation the library builds on: one cdk8s-plus-27 ConfigMap.
import { App, Chart } from 'cdk8s';
import { ConfigMap } from 'cdk8s-plus-27';

const app = new App();
const chart = new Chart(app, 'minimal', { namespace: 'minimal' });
new ConfigMap(chart, 'settings', { metadata: { name: 'settings' }, data: { mode: 'paper' } });
app.synth();
