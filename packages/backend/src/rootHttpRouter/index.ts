import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { withoutRequestEcho } from './withoutRequestEcho';

/** The default root router, its error bodies without the request echoed back. */
export default rootHttpRouterServiceFactory({
  configure({ app, applyDefaults }) {
    app.use(withoutRequestEcho());
    applyDefaults();
  },
});
