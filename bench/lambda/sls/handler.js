'use strict';
// The Lambda benchmark's functions for serverless-offline, equivalent to
// bench/lambda/functions: hello answers the same small JSON body, and
// authorizer allows every token on every method of the API.

module.exports.hello = async () => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json' },
  body: '{"message":"hello from Lambda"}',
});

module.exports.authorizer = async (event) => ({
  principalId: 'bench-user',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{
      Action: 'execute-api:Invoke',
      Effect: 'Allow',
      // arn:aws:execute-api:region:account:api-id/stage/VERB/path
      Resource: event.methodArn.split('/')[0] + '/*',
    }],
  },
});
