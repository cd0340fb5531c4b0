// The floor of the user's loop: a cdk8s app with one ConfigMap and nothing but cdk8s.
import { ApiObject, App, Chart } from 'cdk8s';

const app = new App();
const chart = new Chart(app, 'minimal', { namespace: 'minimal' });
new ApiObject(chart, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'paper' } });
app.synth();
