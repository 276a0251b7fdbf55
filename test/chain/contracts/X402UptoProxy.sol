// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

import {Permit2Lite} from "./Permit2Lite.sol";

/// x402's `upto` settlement contract for the test chain, written from the ABI and error names
/// the x402 EVM package ships (x402UptoPermit2ProxyABI): the facilitator named in the signed witness
/// moves `amount` (at most the permitted maximum) to the witness's payee through Permit2. It
/// is placed at the proxy's canonical address (0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002)
/// with hardhat_setCode, so Permit2's address is a constant, not a constructor argument.
contract X402UptoProxy {
    struct Witness {
        address to;
        address facilitator;
        uint256 validAfter;
    }

    error AmountExceedsPermitted();
    error InvalidDestination();
    error InvalidOwner();
    error PaymentTooEarly();
    error UnauthorizedFacilitator();

    event Settled();

    Permit2Lite public constant PERMIT2 = Permit2Lite(0x000000000022D473030F116dDEE9F6B43aC78BA3);
    string public constant WITNESS_TYPE_STRING =
        "Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,address facilitator,uint256 validAfter)";
    bytes32 public constant WITNESS_TYPEHASH =
        keccak256("Witness(address to,address facilitator,uint256 validAfter)");

    function settle(
        Permit2Lite.PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external {
        if (amount > permit.permitted.amount) revert AmountExceedsPermitted();
        if (msg.sender != witness.facilitator) revert UnauthorizedFacilitator();
        if (block.timestamp < witness.validAfter) revert PaymentTooEarly();
        if (witness.to == address(0)) revert InvalidDestination();
        if (owner == address(0)) revert InvalidOwner();
        bytes32 witnessHash =
            keccak256(abi.encode(WITNESS_TYPEHASH, witness.to, witness.facilitator, witness.validAfter));
        PERMIT2.permitWitnessTransferFrom(
            permit,
            Permit2Lite.SignatureTransferDetails(witness.to, amount),
            owner,
            witnessHash,
            WITNESS_TYPE_STRING,
            signature
        );
        emit Settled();
    }
}
