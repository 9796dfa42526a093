using SsoOperator.Operator;

// The operator: see docs/operator.md for flags, RBAC, conditions, metrics and logs.
await OperatorHost.Build(args).RunAsync();
