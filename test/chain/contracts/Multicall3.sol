// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

/// The part of Multicall3 x402's facilitator uses (tryAggregate), for the canonical address
/// 0xcA11bde05977b3631167028862bE2a173976CA11 that real chains have and Hardhat does not.
/// Without it the facilitator cannot tell why a transfer would fail (balance, nonce, domain)
/// and reports every failure as a failed simulation.
contract Multicall3 {
    struct Call {
        address target;
        bytes callData;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    function tryAggregate(bool requireSuccess, Call[] calldata calls)
        public
        payable
        returns (Result[] memory returnData)
    {
        returnData = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; i++) {
            (bool success, bytes memory ret) = calls[i].target.call(calls[i].callData);
            require(success || !requireSuccess, "Multicall3: call failed");
            returnData[i] = Result(success, ret);
        }
    }
}
