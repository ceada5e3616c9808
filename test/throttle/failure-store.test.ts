// The database's LoginFailureStore (login_failures, login_known_addresses) keeps the store contract.
import { createLoginFailureRepository } from '../../src/throttle/login-failure-repository.js';
import { describeEachDialect } from '../helpers.js';
import { storeContract } from './store-contract.js';

describeEachDialect('the database login failure store', (ctx) => {
  storeContract(() => createLoginFailureRepository(ctx().keygate.database.db));
});
