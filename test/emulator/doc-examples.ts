/**
 * The example requests and responses of the MegaMeeting documentation (../shared/megameeting-api.md), copied
 * verbatim: requests as the exact text of the page, responses as the JSON the page shows.
 * Generated from the page by extracting its code blocks in order; do not edit by hand.
 */

export interface DocExample {
  name: string;
  request: string;
  response: unknown;
}

export const DOC_EXAMPLES: DocExample[] = [
  {
    name: 'meetings',
    request: `    query {
      meetings {
        edges {
          node {
            meetId
            name
          }
        }
      }
    }`,
    response: {
      data: {
        meetings: [
          {
            edges: [
              {
                node: {
                  name: 'My First Meeting',
                  meetId: '1234567',
                },
              },
              {
                node: {
                  name: 'My Second Meeting',
                  meetId: '7654321',
                },
              },
            ],
          },
        ],
      },
    },
  },
  {
    name: 'logins',
    request: `    query {
      logins {
        edges {
          node {
            userName
            loginId
            email
            fullName
            active
            roles
          }
        }
      }
    }`,
    response: {
      data: {
        logins: [
          {
            edges: [
              {
                node: {
                  userName: 'michaels',
                  loginId: '5bf55555ac033142f8457264',
                  email: 'michaels@megameeting.com',
                  fullName: 'Michael',
                  active: 1,
                  roles: 'owner,admin,host',
                },
              },
              {
                node: {
                  userName: 'pamb',
                  loginId: '5df155555a74d80b43e32a21',
                  email: 'pamb@megameeting.com',
                  fullName: 'Pam',
                  active: 0,
                  roles: 'admin,host',
                },
              },
            ],
          },
        ],
      },
    },
  },
  {
    name: 'startRemux',
    request: `    query {
      startRemux(
      input: {
        accountId: "61216bddfe32733c86597a5c"
        loginId: "5d93bc02ebf54f60016c5480"
        meetId: "8626345"
        recordingId: "59216bccfe32133c86597a6b"
      }
    ) {
      status
      message
      result
    }
    }`,
    response: {
      data: {
        startRemux: {
          status: 'Completed',
          message: 'Remux request made successfully.',
          result: null,
        },
      },
    },
  },
  {
    name: 'recordings',
    request: `query {
  recordings {
    accId
    alId
    recId
    meetId
    recPackage
    recPlay
    recCreateDateTime
    remuxStatus
  }
}`,
    response: {
      data: {
        recordings: [
          {
            accId: '61216bddfe32733c86597a5c',
            alId: '5d93bc02ebf54f60016c5480',
            recId: '59216bccfe32133c86597a6b',
            meetId: '8626345',
            recPackage:
              '61216bddfe32733c86597a5c/8626345/1612802816164/P2P-Recording-8626345-Tech-Meeting-02-08-2021-10-50-20.mp4',
            recPlay: null,
            recCreateDateTime: 'Feb 8, 2021 10:50:20',
            remuxStatus: 'waiting',
          },
        ],
      },
    },
  },
  {
    name: 'apiTokenDetails',
    request: `    query {
      apiTokenDetails(
        loginId: "5cc8525555555547431600d0"
      ) {
        domain
        apiToken
        createdAt
        lastUsed
      }
    }`,
    response: {
      data: {
        apiTokenDetails: {
          domain: 'https://myaccount.megameeting.com',
          apiToken: 'IWVFBYLWG0QWY7EI55555555VKQHQ97X',
          createdAt: 'Tue Nov 26 2019 15:19:12 +0000',
          lastUsed: 'Tue Nov 26 2019 15:31:34 +0000',
        },
      },
    },
  },
  {
    name: 'getVerifiedGuest',
    request: `    query {
      getVerifiedGuest(meetId: "7654321") {
        guestName
        key
        meetingLink
      }
    }`,
    response: {
      data: {
        getVerifiedGuest: [
          {
            guestName: 'John Doe',
            key: 'abcdef123456',
            meetingLink: 'https://myaccount.megameeting.com/meeting/?key=abcdef123456',
          },
        ],
      },
    },
  },
  {
    name: 'createMeeting (video conference)',
    request: `    mutation {
      createMeeting(
      input: {
        meetingName: "My Video Meeting"
        scheduledDateTime: "Fri Feb 12 2021 10:00:00 -0600"
        scheduledTimeZone: "CST/UTC-06:00"
        endDateTime: "Fri Feb 12 2021 11:30:00 -0600"
      }
      ) {
        message
        result
        status
      }
    }`,
    response: {
      data: {
        createMeeting: {
          message: 'createMeeting() succeeded. New Meet_ID:1234567',
          result: '1234567',
          status: 'completed',
        },
      },
    },
  },
  {
    name: 'createMeeting (webinar with registration)',
    request: `    mutation {
      createMeeting(input: {
        meetingName: "API Webinar Test",
        scheduledDateTime: "Tue Nov 24 2020 12:30:00 -0600",
        scheduledTimeZone: "CST/UTC-06:00",
        endDateTime: "Tue Nov 24 2020 14:00:00 -0600"
        enableRegistration: true,
        disableVideo: true,
        disableAudio: true,
        disableScreen: true,
        disableFileUpload: true,
        disableWebVideoPlayer: true,
        enableRestrictedUserList: true,
        enableRestrictedChat: true,
      }) {
        message result status
      }
    }`,
    response: {
      data: {
        createMeeting: {
          message: 'createMeeting() succeeded. New Meet_ID:7654321',
          result: '7654321',
          status: 'completed',
        },
      },
    },
  },
  {
    name: 'updateMeeting',
    request: `mutation{
  updateMeeting(input:{
    meetId:"1234567"
    meetName: "My New Name"
  })
{
  message
  result
  status
}}`,
    response: {
      data: {
        updateMeeting: {
          message: 'Meeting updated',
          result: '1',
          status: 'completed',
        },
      },
    },
  },
  {
    name: 'endMeeting',
    request: `mutation{
  endMeeting(meetId:"1234567"){
    message
    result
    status
  }
}`,
    response: {
      data: {
        endMeeting: {
          message: 'Meeting ended',
          result: '1',
          status: 'completed',
        },
      },
    },
  },
  {
    name: 'addVerifiedGuest',
    request: `mutation {
  addVerifiedGuest(
    input: {
      meetId: "7654321"
      guestName: "John Doe"
      email: "johndoe@domain.com"
      permissions: [
        webcam
        microphone
        screenSharing
        chat
        fileUpload
        fileDownload
        webVideoPlayer
      ]
    }
  ) {
    message
    result
    status
  }
}`,
    response: {
      data: {
        addVerifiedGuest: {
          message: 'Records added successfully',
          result: '1',
          status: 'completed',
        },
      },
    },
  },
  {
    name: 'updateVerifiedGuest',
    request: `mutation{
  updateVerifiedGuest(
  	key: "abcdef123456"
  	meetId: "1234567"
  	permissions: [
    	webcam
    	microphone
  	]
  )
{
  message
  result
  status
}}`,
    response: {
      data: {
        updateVerifiedGuest: {
          message: 'Record updated successfully',
          result: '1',
          status: 'completed',
        },
      },
    },
  },
  {
    name: 'removeVerifiedGuest',
    request: `mutation{
  removeVerifiedGuest(
    key: "abcdef123456"
    meetId: "1234567"
  )
{
  message
  result
  status
}}`,
    response: {
      data: {
        removeVerifiedGuest: {
          message: 'Removed successfully',
          result: '1',
          status: 'completed',
        },
      },
    },
  },
  {
    name: 'createLogin',
    request: `mutation{
  createLogin(
    input:{
      email:"user@example.com"
      fullName:"Example User"
      roles:{
        host:true
      }
      phoneNumber:"444-444-4444"
    }
  )
{
  message
  result
  status
}}`,
    response: {
      data: {
        createLogin: {
          message: 'Login Created successfully!',
          result: '602c8096f5403b091960f85f',
          status: 'completed',
        },
      },
    },
  },
  {
    name: 'updateLogin',
    request: `mutation{
  updateLogin(
    input:{
      loginId:"602c8096f5403b091960f85f"
      fullName:"Example User"
    }
  )
{
  message
  result
  status
}}`,
    response: {
      data: {
        updateLogin: {
          message: 'Details updated successfully!',
          result: '1',
          status: 'completed',
        },
      },
    },
  },
  {
    name: 'deleteLogin',
    request: `mutation{
  deleteLogin(
    loginId:"602c8096f5403b091960f85f"
  )
{
  message
  result
  status
}}`,
    response: {
      data: {
        deleteLogin: {
          message: 'Login deleted successfully',
          result: '1',
          status: 'completed',
        },
      },
    },
  },
  {
    name: 'createAPIToken',
    request: `mutation{
  createAPIToken(
    loginId:"5de976394005813985e4325f"
  )
{
  message
  result
  status
}}`,
    response: {
      data: {
        createAPIToken: {
          message: 'API token created successfully',
          result: '1',
          status: 'completed',
        },
      },
    },
  },
  {
    name: 'revokeAPIToken',
    request: `mutation{
  revokeAPIToken(
    loginId:"5de976394005813985e4325f"
  )
{
  message
  result
  status
}}`,
    response: {
      data: {
        revokeAPIToken: {
          message: 'API token revoked successfully',
          result: '1',
          status: 'completed',
        },
      },
    },
  },
  {
    name: 'userInvitation',
    request: `mutation{
  userInvitation(
    email:"user@example.com"
  )
{
  message
  result
  status
}}`,
    response: {
      data: {
        userInvitation: {
          message: 'Email sent successfully',
          result: '1',
          status: 'completed',
        },
      },
    },
  },
  {
    name: 'login',
    request: `mutation{
  login(
    loginId:"5de976394005813985e4325f"
  )
{
  message
  result
  status
}}`,
    response: {
      data: {
        login: {
          message: 'success',
          result: 'https://myaccount.megameeting.com/?token=token&u=user&skipSetting=true',
          status: '200',
        },
      },
    },
  },
  {
    name: 'deleteRecording',
    request: `mutation{
  deleteRecording(
    recId:"1234567890"
    accId:"1234567890"
  )
{
  message
  result
  status
}}`,
    response: {
      data: {
        deleteRecording: {
          message: 'Recording removed successfully',
          result: '1',
          status: 'completed',
        },
      },
    },
  },
];

export function docExample(name: string): DocExample {
  const ex = DOC_EXAMPLES.find((e) => e.name === name);
  if (!ex) throw new Error(`no documented example ${name}`);
  return ex;
}
